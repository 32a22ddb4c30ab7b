namespace Recaps.Workflows.Generation.Agents;

/// <summary>
/// An LLM agent could not write this recap; the caller falls back to the extractive one, recorded as
/// <c>fallback</c> with <see cref="Reason"/>. <see cref="Usage"/> is what was spent before the failure.
/// </summary>
public sealed class AgentUnavailableException : Exception
{
    /// <summary>The provider kept failing (5xx, network, timeout) through the retries, or refused the request (4xx).</summary>
    public const string ProviderError = "provider_error";

    /// <summary>The provider answered 429 through the retries.</summary>
    public const string RateLimited = "rate_limited";

    /// <summary>The next call would exceed the tokens allowed (checked before calling).</summary>
    public const string BudgetExhausted = "budget_exhausted";

    /// <summary>The answer was not JSON of the requested schema (or was cut off at the output limit).</summary>
    public const string InvalidOutput = "invalid_output";

    /// <summary>A single post is larger than one request may be.</summary>
    public const string InputTooLarge = "input_too_large";

    public AgentUnavailableException()
        : this(ProviderError, "the agent is unavailable", AgentUsage.None)
    {
    }

    public AgentUnavailableException(string message)
        : this(ProviderError, message, AgentUsage.None)
    {
    }

    public AgentUnavailableException(string message, Exception innerException)
        : this(ProviderError, message, AgentUsage.None, innerException)
    {
    }

    public AgentUnavailableException(string reason, string message, AgentUsage usage, Exception? innerException = null)
        : base($"{reason}: {message}", innerException)
    {
        Reason = reason;
        Usage = usage;
    }

    /// <summary>One of the constants of this class, e.g. <see cref="RateLimited"/>.</summary>
    public string Reason { get; }

    public AgentUsage Usage { get; }
}
