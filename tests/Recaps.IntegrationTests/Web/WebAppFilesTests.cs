using System.Net;
using Recaps.Api.WebApp;
using Recaps.Tests.Api;

namespace Recaps.Tests.Web;

/// <summary>The web app's files at <c>/</c>: served by the API itself, under a policy that allows this origin's scripts only.</summary>
public class WebAppFilesTests(PostgresFixture postgres)
{
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
        Assert.Equal(WebAppFiles.ContentSecurityPolicy, string.Join(";", response.Headers.GetValues("Content-Security-Policy")));
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
    }

    [Fact]
    public async Task Pages_HaveNoInlineScriptOrStyle_AndLoadNothingFromElsewhere()
    {
        await using var api = await DevelopmentApi.StartAsync(postgres, ApiHost.Start);
        using var anonymous = api.Anonymous();

        foreach (var page in new[] { "/", "/sign-in.html", "/new.html", "/recaps.html", "/recap.html", "/delivery.html" })
        {
            var html = await (await anonymous.GetAtAsync(page)).Content.ReadAsStringAsync(ApiCalls.Cancel);

            Assert.DoesNotContain("<script>", html, StringComparison.Ordinal);
            Assert.DoesNotContain("style=", html, StringComparison.Ordinal);
            Assert.DoesNotContain("//", html.Replace("<!--", "", StringComparison.Ordinal), StringComparison.Ordinal);
        }
    }
}
