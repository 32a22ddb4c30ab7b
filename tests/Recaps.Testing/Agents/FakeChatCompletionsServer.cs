using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Recaps.Testing.Agents;

/// <summary>
/// An OpenAI-compatible provider in the test's process, on a loopback port, speaking the real wire
/// format of <c>POST /v1/chat/completions</c>: what a generator's OpenAI client talks to over HTTP.
/// Each request is recorded (body and arrival time), then answered as the test's script says.
/// </summary>
public sealed class FakeChatCompletionsServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Func<RecordedRequest, FakeReply> _script;
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();
    private readonly long _started = Stopwatch.GetTimestamp();

    private FakeChatCompletionsServer(WebApplication app, Func<RecordedRequest, FakeReply> script)
    {
        _app = app;
        _script = script;
        app.MapPost("/v1/chat/completions", AnswerAsync);
    }

    /// <summary>The API base to configure as the agent's endpoint.</summary>
    public string Endpoint { get; private set; } = "";

    public IReadOnlyList<RecordedRequest> Requests => [.. _requests];

    /// <summary>A server answering each request with what <paramref name="script"/> makes of it.</summary>
    public static async Task<FakeChatCompletionsServer> StartAsync(Func<RecordedRequest, FakeReply> script)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        var url = LocalPorts.FreeUrl();
        builder.WebHost.UseUrls(url);
        var server = new FakeChatCompletionsServer(builder.Build(), script) { Endpoint = url + "/v1" };
        await server._app.StartAsync();
        return server;
    }

    /// <summary>A server giving these replies in turn; a request beyond them gets a 500 saying so.</summary>
    public static Task<FakeChatCompletionsServer> StartAsync(params FakeReply[] replies)
    {
        var queue = new ConcurrentQueue<FakeReply>(replies);
        return StartAsync(_ => queue.TryDequeue(out var reply) ? reply : FakeReply.Error(500, "the test scripted no more replies", "server_error"));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task AnswerAsync(HttpContext context)
    {
        using var body = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
        var request = new RecordedRequest(body.RootElement.Clone(), Stopwatch.GetElapsedTime(_started), _requests.Count);
        _requests.Enqueue(request);
        var reply = _script(request);
        await Task.Delay(reply.Delay, context.RequestAborted);
        context.Response.StatusCode = reply.Status;
        if (reply.RetryAfter is { } retryAfter)
        {
            context.Response.Headers.RetryAfter = ((int)retryAfter.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        await context.Response.WriteAsJsonAsync(reply.Status == 200 ? Completion(request, reply) : ErrorBody(reply), context.RequestAborted);
    }

    private static JsonObject Completion(RecordedRequest request, FakeReply reply)
    {
        var completion = new JsonObject
        {
            ["id"] = $"chatcmpl-fake-{request.Index}",
            ["object"] = "chat.completion",
            ["created"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            ["model"] = request.Body.GetProperty("model").GetString(),
            ["choices"] = new JsonArray(new JsonObject
            {
                ["index"] = 0,
                ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = reply.Content, ["refusal"] = null },
                ["logprobs"] = null,
                ["finish_reason"] = reply.FinishReason,
            }),
        };
        if (reply.Usage is var (prompt, completionTokens))
        {
            completion["usage"] = new JsonObject { ["prompt_tokens"] = prompt, ["completion_tokens"] = completionTokens, ["total_tokens"] = prompt + completionTokens };
        }

        return completion;
    }

    private static JsonObject ErrorBody(FakeReply reply) =>
        new() { ["error"] = new JsonObject { ["message"] = reply.Content, ["type"] = reply.ErrorType, ["param"] = null, ["code"] = reply.ErrorCode } };
}

/// <summary>A request as the server received it; <see cref="ArrivedAt"/> is monotonic time since the server started.</summary>
public sealed record RecordedRequest(JsonElement Body, TimeSpan ArrivedAt, int Index)
{
    /// <summary>The messages' roles and contents, in order.</summary>
    public IReadOnlyList<(string Role, string Content)> Messages =>
        [.. Body.GetProperty("messages").EnumerateArray().Select(m => (m.GetProperty("role").GetString()!, m.GetProperty("content").GetString()!))];
}

/// <summary>What the fake answers: a completion (status 200) or an OpenAI error body, after <see cref="Delay"/>.</summary>
public sealed record FakeReply(int Status, string Content)
{
    public string FinishReason { get; init; } = "stop";

    /// <summary>The usage block's prompt and completion tokens; null, the completion has no usage.</summary>
    public (int Prompt, int Completion)? Usage { get; init; }

    public string? ErrorType { get; init; }

    public string? ErrorCode { get; init; }

    public TimeSpan? RetryAfter { get; init; }

    public TimeSpan Delay { get; init; }

    public static FakeReply Completion(string content, (int Prompt, int Completion)? usage = null) => new(200, content) { Usage = usage };

    public static FakeReply Error(int status, string message, string type, string? code = null, TimeSpan? retryAfter = null) =>
        new(status, message) { ErrorType = type, ErrorCode = code, RetryAfter = retryAfter };

    public static FakeReply RateLimited(TimeSpan retryAfter) =>
        Error(429, "Rate limit reached for requests", "requests", "rate_limit_exceeded", retryAfter);
}
