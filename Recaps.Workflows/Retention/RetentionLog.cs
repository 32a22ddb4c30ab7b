using Microsoft.Extensions.Logging;

namespace Recaps.Workflows.Retention;

/// <summary>Log lines of the retention purge.</summary>
internal static partial class RetentionLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Purged {Count} rows of {Table} past their retention (more left for the next pass: {More})")]
    public static partial void Purged(this ILogger logger, long count, string table, bool more);

    [LoggerMessage(Level = LogLevel.Error, Message = "A retention purge pass failed; the next one retries")]
    public static partial void PurgePassFailed(this ILogger logger, Exception error);
}
