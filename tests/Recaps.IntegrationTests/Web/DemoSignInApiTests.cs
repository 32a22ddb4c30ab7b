using System.Net;
using Microsoft.Extensions.Hosting;
using Recaps.Tests.Api;

namespace Recaps.Tests.Web;

/// <summary>The web app's sign-in in Development: a demo user's token, which the API accepts; nowhere else.</summary>
public class DemoSignInApiTests(PostgresFixture postgres)
{
    [Fact]
    public async Task Token_ForADemoUserInDevelopment_IsABearerTokenTheApiAcceptsForThatUser_WithoutAdminForOthers()
    {
        await using var api = await DevelopmentApi.StartAsync(postgres, ApiHost.Start);
        using var anonymous = api.Anonymous();

        var users = await anonymous.GetJsonAsync("/demo/users");
        var token = await (await anonymous.PostAtAsync("/demo/users/sam/token", null)).JsonAsync();
        using var sam = new HttpClient { BaseAddress = api.BaseAddress };
        sam.DefaultRequestHeaders.Authorization = new("Bearer", token.Text("accessToken"));
        var created = await sam.CreateScheduleAsync();

        Assert.Equal(["demo", "sam", "lee"], users.GetProperty("items").EnumerateArray().Select(u => u.GetString()));
        Assert.Equal("sam", token.Text("userId"));
        Assert.False(token.GetProperty("admin").GetBoolean());
        Assert.Equal("sam", created.Text("userId"));
        await (await sam.PutAtAsync("/v1/channels/dev", new { name = "dev", memberIds = ScheduleBodies.List("sam") })).ProblemAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Token_ForSomeoneElse_Is404()
    {
        await using var api = await DevelopmentApi.StartAsync(postgres, ApiHost.Start);
        using var anonymous = api.Anonymous();

        await (await anonymous.PostAtAsync("/demo/users/root/token", null)).ProblemAsync(HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("Production")]
    [InlineData("Staging")]
    public async Task DemoSignIn_OutsideDevelopment_Is404(string environment)
    {
        await using var api = await DevelopmentApi.StartAsync(postgres, ApiHost.Start, environment);
        using var anonymous = api.Anonymous();

        await (await anonymous.GetAtAsync("/demo/users")).ProblemAsync(HttpStatusCode.NotFound);
        await (await anonymous.PostAtAsync("/demo/users/demo/token", null)).ProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task DemoSignIn_InDevelopmentWithAnOidcAuthority_Is404()
    {
        await using var api = await DevelopmentApi.StartAsync(
            postgres, ApiHost.Start, Environments.Development, ("Auth:SigningKey", null), ("Auth:Authority", "https://login.example.test/"));
        using var anonymous = api.Anonymous();

        await (await anonymous.PostAtAsync("/demo/users/demo/token", null)).ProblemAsync(HttpStatusCode.NotFound);
    }
}
