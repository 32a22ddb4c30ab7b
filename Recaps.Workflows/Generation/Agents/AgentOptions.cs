namespace Recaps.Workflows.Generation.Agents;

/// <summary>
/// One LLM agent, the <c>Recaps:Agents:{name}</c> configuration section: an OpenAI-compatible
/// endpoint, the model and the limits every recap of this agent keeps to.
/// </summary>
public sealed class AgentOptions
{
    /// <summary>The API base the SDK appends <c>chat/completions</c> to, e.g. <c>http://localhost:11434/v1</c>.</summary>
    public string? Endpoint { get; set; }

    public string? Model { get; set; }

    /// <summary>Sent as the bearer token; local servers that need none may leave it unset.</summary>
    public string? ApiKey { get; set; }

    /// <summary>Tokens of one request (prompt, posts and schema, by the o200k_base count); a channel larger is summarised in parts.</summary>
    public int MaxInputTokens { get; set; } = 8000;

    /// <summary>Tokens the model may answer with per request.</summary>
    public int MaxOutputTokens { get; set; } = 1000;

    public float Temperature { get; set; } = 0.2f;

    /// <summary>
    /// Tokens (input and output, all requests) a recap may spend over all its channels: the caller
    /// passes each channel what is left (<see cref="AgentRun.TokenBudget"/>). A call that could take
    /// it past (its input plus MaxOutputTokens) is not made.
    /// </summary>
    public long MaxTokensPerRecap { get; set; } = 50_000;

    /// <summary>Retries of a failed request (429, 5xx, network) by the SDK, with exponential backoff or the server's <c>Retry-After</c>.</summary>
    public int MaxRetries { get; set; } = 3;

    /// <summary>How long one request may take before it counts as failed (and is retried).</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// The most one model call may take, the SDK's retries and their waits included: every attempt
    /// taking its whole <see cref="RequestTimeout"/>, and as long again for the waits between them.
    /// </summary>
    public TimeSpan CallDeadline => RequestTimeout * (MaxRetries + 2);

    /// <summary>Start-up checks with messages that name the setting and the rule.</summary>
    public IEnumerable<string> Problems(string name)
    {
        var prefix = $"{RecapAgents.Section}:{name}:";
        if (!Uri.TryCreate(Endpoint, UriKind.Absolute, out var endpoint) || endpoint.Scheme is not ("http" or "https"))
        {
            yield return $"{prefix}Endpoint must be an absolute http or https address of an OpenAI-compatible API, e.g. http://localhost:11434/v1.";
        }

        if (string.IsNullOrWhiteSpace(Model))
        {
            yield return $"{prefix}Model must name the model to call.";
        }

        if (MaxInputTokens is < MinInputTokens or > 2_000_000)
        {
            yield return $"{prefix}MaxInputTokens must be between {MinInputTokens} and 2000000.";
        }

        if (MaxOutputTokens is < 100 or > 200_000)
        {
            yield return $"{prefix}MaxOutputTokens must be between 100 and 200000.";
        }

        if (!(Temperature is >= 0 and <= 2))
        {
            yield return $"{prefix}Temperature must be between 0 and 2.";
        }

        if (MaxTokensPerRecap < (long)MaxInputTokens + MaxOutputTokens)
        {
            yield return $"{prefix}MaxTokensPerRecap must be at least MaxInputTokens + MaxOutputTokens ({(long)MaxInputTokens + MaxOutputTokens}), the cost of one request.";
        }

        if (MaxRetries is < 0 or > 10)
        {
            yield return $"{prefix}MaxRetries must be between 0 and 10.";
        }

        if (RequestTimeout <= TimeSpan.Zero)
        {
            yield return $"{prefix}RequestTimeout must be positive.";
        }
    }

    // Room for the fixed prompt, the schema and a few posts; below it nearly every channel would be cut into parts.
    internal const int MinInputTokens = 1000;
}
