namespace Recaps.Workflows.Delivery;

/// <summary>
/// A delivery that did not happen. <see cref="Retryable"/> failures (the receiver was down, answered
/// 5xx or 429, timed out) are worth another attempt; the others (refused as 4xx, an address that is
/// not allowed) fail the same way again. <see cref="Code"/> is stable and safe to show a user; the
/// message is for the logs.
/// </summary>
public sealed class DeliveryFailedException(string code, bool retryable, string message, Exception? inner = null)
    : Exception(message, inner)
{
    public string Code { get; } = code;

    public bool Retryable { get; } = retryable;
}
