using Microsoft.Playwright;
using NodaTime;
using Recaps.Tests.Api;
using static Microsoft.Playwright.Assertions;

namespace Recaps.Tests.Web;

/// <summary>The schedules page: every schedule the user has, however many pages of the API's list that takes.</summary>
public class ScheduleListTests(PostgresFixture postgres, ChromiumFixture chromium)
{
    /// <summary>One more than the API's largest page (limit 200), so the page must follow <c>nextCursor</c>.</summary>
    private const int Count = 201;

    [Fact]
    public async Task AUserWithMoreSchedulesThanAPage_SeesEveryOne_NewestFirst_EachOnce()
    {
        var limit = Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await using var web = await WebAppSession.StartAsync(
            postgres, chromium, ApiHost.Start,
            settings: [("Recaps:Limits:MaxSchedulesPerUser", limit), ("Recaps:Quotas:ScheduleChangesPerHour", limit)]);
        using var sam = web.Api.As("sam");
        var titles = new List<string>();
        for (var i = 1; i <= Count; i++)
        {
            titles.Add($"Digest {i:D3}");
            await sam.CreateScheduleAsync(ScheduleBodies.Weekdays("general").With("title", titles[^1]));
            // Each a second newer than the one before, so "newest first" is the reverse of this loop.
            web.Api.Clock.Advance(Duration.FromSeconds(1));
        }

        await web.SignInAsync("sam");

        var titleCells = web.Page.GetByRole(AriaRole.Table).GetByRole(AriaRole.Rowheader);
        await Expect(titleCells).ToHaveCountAsync(Count);
        await Expect(web.Page.GetByText("Loading…")).ToBeHiddenAsync();
        titles.Reverse();
        Assert.Equal(titles, await titleCells.AllInnerTextsAsync());
    }
}
