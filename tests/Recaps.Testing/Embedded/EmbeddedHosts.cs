using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Recaps.Api.Hosting;
using Recaps.ServiceDefaults;
using Recaps.Testing;

namespace Recaps.Tests.Embedded;

/// <summary>The API's builder, process and content root as embedded mode sees them, for tests that drive <c>EmbeddedMode</c>.</summary>
internal static class EmbeddedHosts
{
    /// <summary>
    /// A fresh temp folder the postgres user can pass through: as root the private cluster runs as
    /// that user, and <see cref="Directory.CreateTempSubdirectory"/> makes the folder 700.
    /// </summary>
    public static string CreateFolder(string prefix)
    {
        var folder = Directory.CreateTempSubdirectory(prefix).FullName;
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(folder, File.GetUnixFileMode(folder) | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
        }

        return folder;
    }

    /// <summary>The API's builder as Program makes it (AddRecapsApi), on a free port, with <paramref name="settings"/>.</summary>
    public static WebApplicationBuilder Builder(string environment, string contentRoot, IEnumerable<KeyValuePair<string, string?>> settings)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = environment, ContentRootPath = contentRoot });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        // A management port of its own: the default (9465) would clash with another API's on this machine.
        builder.Configuration[ManagementPort.UrlSetting] = LocalPorts.FreeUrl();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddRecapsApi();
        return builder;
    }

    /// <summary>
    /// The API's entry point as a process: the built Recaps.Api, as <c>dotnet run</c> starts it, in
    /// <paramref name="environment"/> with <paramref name="contentRoot"/>; its output redirected.
    /// </summary>
    public static ProcessStartInfo ApiProcess(string environment, string contentRoot, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "Recaps.Api.dll"), .. arguments])
        {
            WorkingDirectory = contentRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = environment;
        start.Environment["ASPNETCORE_CONTENTROOT"] = contentRoot;
        start.Environment["Recaps__Management__Url"] = LocalPorts.FreeUrl();
        return start;
    }

}
