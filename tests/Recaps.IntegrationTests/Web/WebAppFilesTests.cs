using System.Net;
using Microsoft.Extensions.Hosting;
using Recaps.Tests.Api;

namespace Recaps.Tests.Web;

/// <summary>The web app's files at <c>/</c>: served by the API itself, under a policy that allows this origin's scripts only.</summary>
public class WebAppFilesTests(PostgresFixture postgres)
{
    private const string ThisOriginOnly =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    [Theory]
    [InlineData("/", "text/html")]
    [InlineData("/new.html", "text/html")]
    [InlineData("/js/schedule-form.js", "text/javascript")]
    [InlineData("/css/app.css", "text/css")]
    public async Task File_IsServedWithoutAToken_UnderTheContentSecurityPolicy(string path, string mediaType)
    {
        await using var api = await DevelopmentApi.StartAsync(postgres, ApiHost.Start);
        using var anonymous = api.Anonymous();

        var response = await anonymous.GetAtAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(mediaType, response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(ThisOriginOnly, string.Join(";", response.Headers.GetValues("Content-Security-Policy")));
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
    }

    [Fact]
    public async Task Pages_HaveNoInlineScriptOrStyle_AndLoadNothingFromElsewhere()
    {
        await using var api = await DevelopmentApi.StartAsync(postgres, ApiHost.Start);
        using var anonymous = api.Anonymous();

        foreach (var page in new[] { "/", "/sign-in.html", "/signed-in.html", "/new.html", "/schedule.html", "/recaps.html", "/recap.html", "/delivery.html" })
        {
            var html = await (await anonymous.GetAtAsync(page)).Content.ReadAsStringAsync(ApiCalls.Cancel);

            Assert.DoesNotContain("<script>", html, StringComparison.Ordinal);
            Assert.DoesNotContain("style=", html, StringComparison.Ordinal);
            Assert.DoesNotContain("//", html.Replace("<!--", "", StringComparison.Ordinal), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Policy_WithAWebClientAtAnAuthority_AllowsConnectingToThatOriginToo_AndNothingElseMore()
    {
        await using var api = await DevelopmentApi.StartAsync(
            postgres, ApiHost.Start, Environments.Production, ("Auth:SigningKey", null), ("Auth:Authority", "https://login.example.test:8443/realms/acme"), ("Auth:WebClientId", "recaps-web"));
        using var anonymous = api.Anonymous();

        var response = await anonymous.GetAtAsync("/sign-in.html");

        Assert.Equal(
            ThisOriginOnly.Replace("connect-src 'self'", "connect-src 'self' https://login.example.test:8443", StringComparison.Ordinal),
            string.Join(";", response.Headers.GetValues("Content-Security-Policy")));
    }

    [Fact]
    public async Task Policy_WithAnAuthorityButNoWebClient_AllowsThisOriginOnly()
    {
        await using var api = await DevelopmentApi.StartAsync(
            postgres, ApiHost.Start, Environments.Production, ("Auth:SigningKey", null), ("Auth:Authority", "https://login.example.test/"));
        using var anonymous = api.Anonymous();

        var response = await anonymous.GetAtAsync("/sign-in.html");

        Assert.Equal(ThisOriginOnly, string.Join(";", response.Headers.GetValues("Content-Security-Policy")));
    }
}
