using Microsoft.Extensions.Hosting;
using Microsoft.Playwright;
using Recaps.Tests.Api;
using static Microsoft.Playwright.Assertions;

namespace Recaps.Tests.Web;

/// <summary>Signing in as a demo user (Development) and the schedules list that follows.</summary>
public class SignInTests(PostgresFixture postgres, ChromiumFixture chromium)
{
    [Fact]
    public async Task SignIn_AsADemoUser_ShowsTheirSchedulesOnly_InEachSchedulesZone()
    {
        await using var web = await WebAppSession.StartAsync(postgres, chromium, ApiHost.Start);
        using var sam = web.Api.As("sam");
        using var lee = web.Api.As("lee");
        var sams = await sam.CreateScheduleAsync(ScheduleBodies.Weekdays("general").With("title", "Sam's digest").With("timeZone", "Asia/Tokyo"));
        await lee.CreateScheduleAsync(ScheduleBodies.Weekdays("general").With("title", "Lee's digest"));

        await web.Page.GotoAsync("/");
        await Expect(web.Page).ToHaveURLAsync(new Uri(web.Api.BaseAddress, "sign-in.html").ToString());
        await web.SignInAsync("sam");

        var rows = web.Page.GetByRole(AriaRole.Table).GetByRole(AriaRole.Row);
        await Expect(rows).ToHaveCountAsync(2);
        var row = rows.Nth(1);
        await Expect(row.GetByRole(AriaRole.Rowheader)).ToHaveTextAsync("Sam's digest");
        var next = sams.GetProperty("nextRuns")[0];
        await Expect(row.Locator("time")).ToHaveAttributeAsync("datetime", next.Text("at"));
        // 09:00 in Tokyo, as the schedule says, not in the browser's Paris.
        await Expect(row.Locator("time")).ToContainTextAsync("09:00 (UTC+09:00)");
        await Expect(row).ToContainTextAsync("Asia/Tokyo");
        await Expect(row).ToContainTextAsync("Waiting to reach Temporal");
        await Expect(web.Page.GetByText("Signed in as sam")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task SignIn_OutsideDevelopmentWithoutAWebClient_OffersNoSignIn_AndSaysWhy()
    {
        await using var web = await WebAppSession.StartAsync(postgres, chromium, ApiHost.Start, environment: Environments.Production);

        await web.Page.GotoAsync("/");

        await Expect(web.Page.GetByText("Signing in to the web app is not set up on this server")).ToBeVisibleAsync();
        await Expect(web.Page.GetByRole(AriaRole.Button)).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task List_ShowsAnOperatorsPauseApartFromTheUsersOwn()
    {
        await using var web = await WebAppSession.StartAsync(postgres, chromium, ApiHost.Start);
        using var sam = web.Api.As("sam");
        var mine = await sam.CreateScheduleAsync(ScheduleBodies.Weekdays("general").With("title", "Paused by me"));
        var held = await sam.CreateScheduleAsync(ScheduleBodies.Weekdays("general").With("title", "Held by ops"));
        await sam.PostAtAsync($"/v1/schedules/{mine.Id()}/pause", new { reason = "on holiday" });
        await web.Api.Database.OperatorPauseAsync(held.Id(), web.Api.Clock.GetCurrentInstant(), "database maintenance");

        await web.SignInAsync("sam");

        var table = web.Page.GetByRole(AriaRole.Table);
        await Expect(table.GetByRole(AriaRole.Row).Filter(new() { HasText = "Paused by me" }).Locator(".user-pause"))
            .ToHaveTextAsync("Paused by you: on holiday");
        await Expect(table.GetByRole(AriaRole.Row).Filter(new() { HasText = "Held by ops" }).Locator(".operator-pause"))
            .ToHaveTextAsync("Paused by an operator: database maintenance. Only an operator can resume it.");
    }
}
