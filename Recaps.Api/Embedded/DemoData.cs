using NodaTime;
using Recaps.Workflows.Chat;
using Recaps.Workflows.Domain;
using Recaps.Workflows.Storage;

namespace Recaps.Api.Embedded;

/// <summary>
/// Embedded mode's first-start content: three channels with a day of posts, and a weekday-morning
/// recap for the demo user, so the API, the Temporal UI and a run-now show something at once.
/// Seeded once: a demo user who can already read a channel has been seeded before.
/// </summary>
internal sealed partial class DemoData(PostgresChatStore chat, ScheduleRepository schedules, IClock clock, ILogger<DemoData> logger) : IHostedService
{
    private static readonly (string Id, string Name, string[] Members)[] Channels =
    [
        ("general", "General", [DemoIdentity.User, "sam", "lee"]),
        ("engineering", "Engineering", [DemoIdentity.User, "sam"]),
        ("design", "Design", [DemoIdentity.User, "lee"]),
    ];

    private static readonly (string Channel, string Author, int HoursAgo, string Message)[] Posts =
    [
        ("general", "sam", 20, "Morning all! Reminder: the office is closed on Friday."),
        ("general", "lee", 15, "Lunch-and-learn on accessibility moved to Thursday 12:30."),
        ("general", "sam", 3, "Welcome Priya, who joins the platform team today."),
        ("engineering", "sam", 18, "Deploy of the billing service is done; error rates are flat."),
        ("engineering", DemoIdentity.User, 12, "Incident review for Monday's outage is in the shared folder."),
        ("engineering", "sam", 6, "Decision: we move the nightly jobs to the new queue next sprint."),
        ("engineering", "sam", 2, "Flaky test in checkout fixed; CI is green again."),
        ("design", "lee", 16, "New onboarding mock-ups are ready for review."),
        ("design", "lee", 4, "Feedback deadline for the icon set is Wednesday."),
    ];

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if ((await chat.ReadableChannelsAsync(DemoIdentity.User, cancellationToken)).Count > 0)
        {
            return;
        }

        foreach (var (id, name, members) in Channels)
        {
            await chat.UpsertChannelAsync(id, name, members, cancellationToken);
        }

        var now = clock.GetCurrentInstant();
        foreach (var (channel, author, hoursAgo, message) in Posts)
        {
            await chat.AddPostAsync(channel, author, message, now - Duration.FromHours(hoursAgo), cancellationToken);
        }

        // The machine's zone, so the demo recap comes at 09:00 where its user sits.
        var zone = MachineTimeZone.Find();
        await schedules.CreateAsync(DemoIdentity.User, new ScheduleIntent(
            "Morning digest",
            WeekdaySet.Of(IsoDayOfWeek.Monday, IsoDayOfWeek.Tuesday, IsoDayOfWeek.Wednesday, IsoDayOfWeek.Thursday, IsoDayOfWeek.Friday),
            new LocalTime(9, 0),
            zone.Id,
            ChannelMode.Specific,
            ["general", "engineering"],
            Recurring: true,
            ScheduleIntentValidator.DefaultAgent,
            CustomInstructions: null), cancellationToken);
        Seeded(logger, Channels.Length, Posts.Length, zone.Id, DemoIdentity.User);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Seeded demo data: {Channels} channels, {Posts} posts and a weekday 09:00 ({Zone}) recap for user {User}")]
    private static partial void Seeded(ILogger logger, int channels, int posts, string zone, string user);
}
