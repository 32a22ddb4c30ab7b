using System.Diagnostics;

namespace Recaps.Testing;

/// <summary>
/// How a test or a benchmark starts a built Recaps.Api or Recaps.Worker as a deployment runs it:
/// <c>dotnet</c> over its dll in a process of its own, in production, configured by environment
/// variables, with its output redirected for the caller to drain.
/// </summary>
public static class DeployedProcess
{
    /// <param name="dll">The built program.</param>
    /// <param name="url">Where it serves HTTP: <c>http://127.0.0.1:0</c> for any free port.</param>
    /// <param name="settings">Configuration keys (<c>Temporal:Address</c>…), passed as <c>Temporal__Address</c>….</param>
    /// <param name="arguments">The command line after the program (<c>migrate</c>); none runs it as a service.</param>
    public static ProcessStartInfo StartInfo(string dll, string url, IReadOnlyDictionary<string, string?> settings, params IEnumerable<string> arguments)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var start = new ProcessStartInfo("dotnet") { ArgumentList = { dll }, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["ASPNETCORE_URLS"] = url;
        // A free port: the management default (9464, metrics) would clash with another process's on this machine.
        start.Environment["Recaps__Management__Url"] = LocalPorts.FreeUrl();
        foreach (var (key, value) in settings)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        return start;
    }
}
