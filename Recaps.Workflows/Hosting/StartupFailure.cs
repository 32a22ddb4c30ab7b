using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Recaps.Workflows.Hosting;

/// <summary>What the API and the worker report, without a stack trace, when they cannot start.</summary>
public static class StartupFailure
{
    /// <summary>
    /// A host's start failing on a setting (options, a missing connection string) or a dependency
    /// (PostgreSQL, Temporal, a busy port): the operator's to fix, so the message is the report.
    /// Anything else is a bug and keeps its stack trace.
    /// </summary>
    public static bool IsOperators(Exception error) =>
        error is OptionsValidationException or InvalidOperationException or NpgsqlException or IOException { InnerException: AddressInUseException };
}
