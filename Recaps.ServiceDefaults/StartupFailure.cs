using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Options;
using Npgsql;
using Recaps.Workflows.Configuration;

namespace Recaps.ServiceDefaults;

/// <summary>What the API and the worker report, without a stack trace, when they cannot start.</summary>
public static class StartupFailure
{
    /// <summary>
    /// Start-up failing on something the operator can fix: a setting (options, a missing connection
    /// string), an unreachable or unstartable dependency, a database that refuses the sign-in or
    /// does not exist, a busy port. The message is then the report. Anything else, an SQL error in
    /// a migration included, is a bug and keeps its stack trace.
    /// </summary>
    public static bool IsOperators(Exception error) => error switch
    {
        OptionsValidationException or SettingException or DependencyUnavailableException => true,
        PostgresException postgres => postgres.SqlState is PostgresErrorCodes.InvalidPassword or PostgresErrorCodes.InvalidAuthorizationSpecification
            or PostgresErrorCodes.InvalidCatalogName or PostgresErrorCodes.CannotConnectNow or PostgresErrorCodes.TooManyConnections,
        NpgsqlException => true, // no server answered: the database is unreachable
        IOException { InnerException: AddressInUseException } => true,
        _ => false,
    };
}
