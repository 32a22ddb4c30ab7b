using System.Net.Sockets;
using Npgsql;

namespace Recaps.Api.Hosting;

/// <summary>
/// After PostgreSQL restarts, the pool still holds sessions to the old server, and the first
/// request to use one fails although the database is back. Such a request runs again once the pool
/// has dropped its sessions to the old server, when running it again cannot apply it twice:
/// <list type="bullet">
/// <item>the server ended the session before running the statement (admin or crash shutdown, or still starting);</item>
/// <item>the statement could not even be sent (a broken pipe: the server was gone before it);</item>
/// <item>or the connection was lost and the request is idempotent (GET, HEAD, PUT, DELETE).</item>
/// </list>
/// Otherwise it may have been applied (a POST whose answer was lost), or it is not a lost session at
/// all (a timeout, a lock or serialization failure, too many connections: the pool is fine), and the
/// client gets the 503 of <see cref="Problems.DatabaseUnavailableExceptionHandler"/>.
/// </summary>
public sealed partial class DatabaseSessionRetry(NpgsqlDataSource dataSource, ILogger<DatabaseSessionRetry> log) : IEndpointFilter
{
    /// <summary>The first failure clears the pool, so the second attempt meets the new server; the third covers a server still starting.</summary>
    private const int Attempts = 3;

    private static readonly TimeSpan Pause = TimeSpan.FromMilliseconds(200);

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await next(context);
            }
            catch (NpgsqlException error) when (attempt < Attempts && CanRunAgain(error, context.HttpContext.Request))
            {
                dataSource.Clear();
                SessionLost(log, error, context.HttpContext.Request.Method, context.HttpContext.Request.Path, attempt);
                if (error is PostgresException { SqlState: PostgresErrorCodes.CannotConnectNow })
                {
                    await Task.Delay(Pause, context.HttpContext.RequestAborted);
                }
            }
        }
    }

    private static bool CanRunAgain(NpgsqlException error, HttpRequest request) =>
        error is PostgresException
        {
            SqlState: PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CrashShutdown or PostgresErrorCodes.CannotConnectNow,
        }
        // A broken pipe (EPIPE) only ever comes from a write: the server never received the statement.
        || (error is not PostgresException && Causes(error).Any(cause => cause is SocketException { SocketErrorCode: SocketError.Shutdown }))
        || (ConnectionLost(error) && (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsPut(request.Method) || HttpMethods.IsDelete(request.Method)));

    /// <summary>The session's socket failed (not a timeout): its end of the conversation is gone.</summary>
    private static bool ConnectionLost(NpgsqlException error) =>
        error is not PostgresException && Causes(error).Any(cause => cause is IOException or SocketException) && !Causes(error).Any(cause => cause is TimeoutException);

    private static IEnumerable<Exception> Causes(Exception error)
    {
        for (var cause = error.InnerException; cause is not null; cause = cause.InnerException)
        {
            yield return cause;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Method} {Path} lost its database session (attempt {Attempt}); the pool was cleared and the request runs again")]
    private static partial void SessionLost(ILogger logger, Exception error, string method, string path, int attempt);
}
