using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Recaps.Tests.Api;

/// <summary>The calls API tests make again and again, and the checks of what comes back.</summary>
internal static class ApiCalls
{
    public const string ProblemContentType = "application/problem+json";

    public static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public static Uri Url(string path) => new(path, UriKind.Relative);

    /// <summary>Creates a schedule and returns it, failing the test unless the API answers 201.</summary>
    public static async Task<JsonElement> CreateScheduleAsync(this HttpClient client, object? body = null)
    {
        var response = await client.PostAsJsonAsync(Url("/v1/schedules"), body ?? ScheduleBodies.Weekdays(), Cancel);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return await response.JsonAsync();
    }

    public static async Task<JsonElement> GetJsonAsync(this HttpClient client, string path)
    {
        var response = await client.GetAsync(Url(path), Cancel);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.JsonAsync();
    }

    public static Task<HttpResponseMessage> GetAtAsync(this HttpClient client, string path) => client.GetAsync(Url(path), Cancel);

    public static Task<HttpResponseMessage> PostAtAsync(this HttpClient client, string path, object? body = null) =>
        body is null ? client.PostAsync(Url(path), null, Cancel) : client.PostAsJsonAsync(Url(path), body, Cancel);

    public static Task<HttpResponseMessage> PutAtAsync(this HttpClient client, string path, object body) => client.PutAsJsonAsync(Url(path), body, Cancel);

    public static Task<HttpResponseMessage> DeleteAtAsync(this HttpClient client, string path) => client.DeleteAsync(Url(path), Cancel);

    /// <summary>A create request carrying an <c>Idempotency-Key</c>.</summary>
    public static async Task<HttpResponseMessage> CreateWithKeyAsync(this HttpClient client, object body, string idempotencyKey)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Url("/v1/schedules")) { Content = JsonContent.Create(body) };
        request.Headers.Add("Idempotency-Key", idempotencyKey);
        return await client.SendAsync(request, Cancel);
    }

    /// <summary>Sends <paramref name="body"/> as JSON, or no body when it is null.</summary>
    public static async Task<HttpResponseMessage> SendJsonAsync(this HttpClient client, HttpMethod method, string path, object? body = null)
    {
        using var request = new HttpRequestMessage(method, Url(path)) { Content = body is null ? null : JsonContent.Create(body) };
        return await client.SendAsync(request, Cancel);
    }

    /// <summary>Sends <paramref name="content"/> exactly as written, for bodies a JSON serializer would not produce.</summary>
    public static async Task<HttpResponseMessage> SendRawAsync(
        this HttpClient client, HttpMethod method, string path, string content, string contentType = "application/json")
    {
        using var request = new HttpRequestMessage(method, Url(path)) { Content = new StringContent(content, Encoding.UTF8, contentType) };
        return await client.SendAsync(request, Cancel);
    }

    public static async Task<JsonElement> JsonAsync(this HttpResponseMessage response) =>
        await response.Content.ReadFromJsonAsync<JsonElement>(Cancel);

    /// <summary>Asserts an RFC 9457 answer with <paramref name="status"/> and returns its body.</summary>
    public static async Task<JsonElement> ProblemAsync(this HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal(ProblemContentType, response.Content.Headers.ContentType?.MediaType);
        var problem = await response.JsonAsync();
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("title").GetString()));
        return problem;
    }

    /// <summary>Asserts a 400 whose <c>errors</c> name exactly <paramref name="fields"/>, and returns those errors.</summary>
    public static async Task<JsonElement> ValidationProblemAsync(this HttpResponseMessage response, params string[] fields)
    {
        var errors = (await response.ProblemAsync(HttpStatusCode.BadRequest)).GetProperty("errors");
        Assert.Equal(fields.Order(StringComparer.Ordinal), errors.EnumerateObject().Select(e => e.Name).Order(StringComparer.Ordinal));
        return errors;
    }

    /// <summary>A channel of the built-in chat store, written by an admin as a chat integration would.</summary>
    public static async Task ChannelAsync(this ApiHost api, string id, params string[] memberIds)
    {
        using var admin = api.As(ApiHost.Admin, admin: true);
        var response = await admin.PutAtAsync($"/v1/channels/{id}", new { name = $"#{id}", memberIds });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    /// <summary>A post in a channel, written by an admin at the API's current time.</summary>
    public static async Task PostAsync(this ApiHost api, string channelId, string authorId, string message)
    {
        using var admin = api.As(ApiHost.Admin, admin: true);
        var response = await admin.PostAtAsync($"/v1/channels/{channelId}/posts", new { authorId, message });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    public static string Id(this JsonElement resource) => resource.GetProperty("id").GetString()!;

    public static string Text(this JsonElement element, string property) => element.GetProperty(property).GetString()!;
}
