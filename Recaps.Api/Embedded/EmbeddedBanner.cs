using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;
using Recaps.Api.Auth;

namespace Recaps.Api.Embedded;

/// <summary>Once the server listens, tells a newcomer where everything is and how to call the API.</summary>
internal sealed class EmbeddedBanner(
    IHostApplicationLifetime lifetime, IServer server, IOptions<AuthOptions> auth, EmbeddedMode embedded) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStarted.Register(() => Console.Out.Write(Text()));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private string Text()
    {
        var api = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? "http://localhost:5080";
        return Text(api, embedded, auth.Value, DateTime.UtcNow);
    }

    internal static string Text(string listening, EmbeddedMode embedded, AuthOptions auth, DateTime now)
    {
        // A wildcard address is where the server listens, not where a browser can go.
        var uri = new Uri(listening.Replace("://+", "://0.0.0.0", StringComparison.Ordinal).Replace("://*", "://0.0.0.0", StringComparison.Ordinal));
        var api = $"{uri.Scheme}://{(uri.Host is "0.0.0.0" or "[::]" ? "localhost" : uri.Host)}:{uri.Port}";
        var token = auth.SigningKey is null
            ? $"  Tokens: issued by {auth.Authority}."
            : $"""
                Demo token (user "{DemoIdentity.User}", admin, valid {DemoIdentity.TokenLifetime.TotalDays:0} days):
                  export TOKEN={DemoIdentity.Token(auth, now)}
                  curl -H "Authorization: Bearer $TOKEN" {api}/v1/schedules
              """;
        return $"""

            Recaps is running: API, worker and schedule sync in one process (embedded mode).
              API:         {api}
              API docs:    {api}/docs
              Temporal UI: {embedded.TemporalUiUrl?.ToString() ?? "not known: set Temporal:UiUrl"}
              Temporal:    {embedded.TemporalDescription}
              PostgreSQL:  {embedded.DatabaseDescription}
            {token}
            Stop with Ctrl+C; the data stays in {embedded.DataFolder}.


            """;
    }
}
