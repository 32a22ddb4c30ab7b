using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Options;
using Npgsql;
using Recaps.ServiceDefaults;
using Recaps.Workflows.Configuration;

namespace Recaps.Tests.Hosting;

public class StartupFailureTests
{
    public static TheoryData<string, Exception> OperatorsToFix => new()
    {
        { "options", new OptionsValidationException("Recaps", typeof(RecapsOptions), ["Recaps:Limits:RunNowCooldown must be positive."]) },
        { "a setting", new SettingException("ConnectionStrings:Recaps is required.") },
        { "a dependency", new DependencyUnavailableException("Temporal at 127.0.0.1:1 (Temporal:Address) is unreachable.") },
        { "no database server", new NpgsqlException("Failed to connect", new SocketException((int)SocketError.ConnectionRefused)) },
        { "a wrong password", Postgres(PostgresErrorCodes.InvalidPassword) },
        { "a missing database", Postgres(PostgresErrorCodes.InvalidCatalogName) },
        { "a server still starting", Postgres(PostgresErrorCodes.CannotConnectNow) },
        { "a busy port", new IOException("Failed to bind", new AddressInUseException("Address already in use")) },
    };

    public static TheoryData<string, Exception> Bugs => new()
    {
        { "an SQL error in a migration", Postgres(PostgresErrorCodes.SyntaxError) },
        { "a missing table", Postgres(PostgresErrorCodes.UndefinedTable) },
        { "an invalid operation", new InvalidOperationException("Sequence contains no elements") },
        { "a bad argument", new ArgumentOutOfRangeException("count") },
        { "any other I/O failure", new IOException("Disk full") },
    };

    [Theory]
    [MemberData(nameof(OperatorsToFix))]
    public void IsOperators_SomethingTheOperatorCanFix_IsReportedWithoutAStackTrace(string what, Exception error) =>
        Assert.True(StartupFailure.IsOperators(error), what);

    [Theory]
    [MemberData(nameof(Bugs))]
    public void IsOperators_ABug_CrashesWithItsStackTrace(string what, Exception error) =>
        Assert.False(StartupFailure.IsOperators(error), what);

    private static PostgresException Postgres(string sqlState) => new("message", "FATAL", "FATAL", sqlState);
}
