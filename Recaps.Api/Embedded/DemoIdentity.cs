using System.Security.Cryptography;
using Recaps.Api.Auth;

namespace Recaps.Api.Embedded;

/// <summary>Embedded mode's signing key (kept in the data folder, so tokens outlive restarts) and the demo user's bearer token.</summary>
public static class DemoIdentity
{
    public const string User = "demo";

    /// <summary>The users embedded mode seeds into its channels; the web app's sign-in offers them in Development.</summary>
    public static readonly IReadOnlyList<string> Users = [User, "sam", "lee"];

    public static readonly TimeSpan TokenLifetime = TimeSpan.FromDays(30);

    public static string LoadOrCreateSigningKey(string folder)
    {
        var file = Path.Combine(folder, "signing-key");
        if (File.Exists(file) && File.ReadAllText(file).Trim() is { Length: > 0 } kept)
        {
            return kept;
        }

        var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(48));
        Directory.CreateDirectory(folder);
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            // Readable by this user only, from the moment it exists.
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var writer = new StreamWriter(file, options))
        {
            writer.Write(key);
        }

        return key;
    }

    /// <summary>A token for the demo user, an admin so the chat-store calls work too.</summary>
    public static string Token(AuthOptions auth, DateTime now) => Token(auth, User, now, TokenLifetime);

    /// <summary>A token for one of <see cref="Users"/>; only <see cref="User"/> is an admin.</summary>
    public static string Token(AuthOptions auth, string user, DateTime now, TimeSpan lifetime) =>
        SigningKeyTokens.Mint(auth, user, admin: user == User, now, now + lifetime);
}
