using Microsoft.Extensions.Logging;

namespace Recaps.Workflows.Delivery;

/// <summary>Log lines of deliveries; each carries the delivery id (the receiver's X-Recaps-Delivery or Message-ID) and the recap id.</summary>
internal static partial class DeliveryLog
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "Delivery {DeliveryId} of recap {RecapId} ({Type}) failed on attempt {Attempt} with {Code}; retryable: {Retryable}")]
    public static partial void DeliveryFailed(this ILogger logger, Exception error, Guid deliveryId, Guid recapId, string type, int attempt, string code, bool retryable);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Delivery {DeliveryId} of recap {RecapId} gave up after {Attempts} attempts")]
    public static partial void DeliveryGaveUp(this ILogger logger, Guid deliveryId, Guid recapId, int attempts);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Recap {RecapId} could not be routed; it stays in the app only")]
    public static partial void NotRouted(this ILogger logger, Exception error, Guid recapId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Delivery {DeliveryId} ended without an outcome; it stays pending")]
    public static partial void NoOutcome(this ILogger logger, Exception error, Guid deliveryId);
}
