using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Recaps.Workflows.Configuration;

namespace Recaps.ServiceDefaults;

/// <summary>
/// <c>/metrics</c> names internals (queues, SQL timings, tzdb, schedule counts), so it is not served
/// on the port users and probes reach: only on a management port of its own, on loopback unless
/// <c>Recaps:Management:Url</c> says otherwise (a scraper beside the process, or an operator's
/// choice of interface). The management port answers <c>/metrics</c> and nothing else.
/// </summary>
public static class ManagementPort
{
    public const string UrlSetting = "Recaps:Management:Url";

    /// <summary>
    /// Listens on the management URL beside the host's own addresses (<c>ASPNETCORE_URLS</c>, else
    /// <c>ASPNETCORE_HTTP_PORTS</c>/<c>HTTPS_PORTS</c>, else <paramref name="defaultPublicUrl"/>).
    /// Kestrel takes one list of addresses, so the management one joins that list.
    /// </summary>
    public static IHostApplicationBuilder AddRecapsManagementPort(this IHostApplicationBuilder builder, string defaultManagementUrl, string defaultPublicUrl)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var configuration = builder.Configuration;
        var management = configuration[UrlSetting] is { Length: > 0 } configured ? configured : defaultManagementUrl;
        var port = ManagementPortOf(management);
        var publicUrls = PublicUrls(configuration) is { Count: > 0 } urls ? urls : [defaultPublicUrl];
        if (publicUrls.Any(url => BindingAddress.Parse(url).Port == port))
        {
            throw new SettingException(
                $"{UrlSetting} ({management}) must use a port of its own, not one of the public addresses ({string.Join(';', publicUrls)}).");
        }

        configuration[WebHostDefaults.ServerUrlsKey] = string.Join(';', [.. publicUrls, management]);
        builder.Services.AddSingleton(new ManagementEndpoint(port));
        return builder;
    }

    /// <summary><c>/metrics</c> on the management port; every other request there is 404, and <c>/metrics</c> elsewhere falls through to the app (404).</summary>
    public static IApplicationBuilder UseRecapsManagementPort(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var port = app.ApplicationServices.GetRequiredService<ManagementEndpoint>().Port;
        app.UseOpenTelemetryPrometheusScrapingEndpoint(context => context.Connection.LocalPort == port && context.Request.Path == "/metrics");
        return app.Use((context, next) =>
        {
            if (context.Connection.LocalPort != port)
            {
                return next(context);
            }

            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        });
    }

    private static int ManagementPortOf(string url)
    {
        BindingAddress address;
        try
        {
            address = BindingAddress.Parse(url);
        }
        catch (FormatException error)
        {
            throw new SettingException($"{UrlSetting} ({url}) must be an address such as http://127.0.0.1:9464: {error.Message}", error);
        }

        // A fixed port: metrics are told apart from the app's requests by the port they arrive on.
        return address.Port is > 0 and <= 65535 && address.Scheme is "http" or "https"
            ? address.Port
            : throw new SettingException($"{UrlSetting} ({url}) must be an http address with a port from 1 to 65535, such as http://127.0.0.1:9464.");
    }

    /// <summary>The addresses ASP.NET Core would listen on from configuration, as it reads them (<c>urls</c> wins over the port lists).</summary>
    private static List<string> PublicUrls(IConfiguration configuration)
    {
        if (configuration[WebHostDefaults.ServerUrlsKey] is { Length: > 0 } urls)
        {
            return [.. urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
        }

        return [.. Ports(configuration[WebHostDefaults.HttpPortsKey], "http"), .. Ports(configuration[WebHostDefaults.HttpsPortsKey], "https")];
    }

    private static IEnumerable<string> Ports(string? ports, string scheme) =>
        (ports ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(port => $"{scheme}://*:{port}");

    private sealed record ManagementEndpoint(int Port);
}
