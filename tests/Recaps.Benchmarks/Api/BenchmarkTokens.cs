using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Recaps.Benchmarks.Api;

/// <summary>HS256 bearer tokens for the load's users, made as an identity provider would (RFC 7519), without a JWT library.</summary>
internal static class BenchmarkTokens
{
    public const string SigningKey = "recaps-benchmark-signing-key-of-at-least-32-bytes";

    public static string For(string userId)
    {
        var header = Encode(new Dictionary<string, object> { ["alg"] = "HS256", ["typ"] = "JWT" });
        var payload = Encode(new Dictionary<string, object>
        {
            ["sub"] = userId,
            ["iss"] = "recaps",
            ["aud"] = "recaps-api",
            ["exp"] = DateTimeOffset.UtcNow.AddHours(2).ToUnixTimeSeconds(),
        });
        var signature = HMACSHA256.HashData(Encoding.UTF8.GetBytes(SigningKey), Encoding.ASCII.GetBytes($"{header}.{payload}"));
        return $"{header}.{payload}.{Base64Url(signature)}";
    }

    private static string Encode(Dictionary<string, object> claims) => Base64Url(JsonSerializer.SerializeToUtf8Bytes(claims));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
