namespace Recaps.Workflows.Delivery;

/// <summary>The kinds of target, as the API and storage name them.</summary>
public static class DeliveryTypes
{
    public const string InApp = "inApp";
    public const string Webhook = "webhook";
    public const string Email = "email";

    public static readonly IReadOnlyList<string> All = [InApp, Webhook, Email];
}

/// <summary>Where a stored recap goes besides the API: a user's default, or a schedule's own list.</summary>
public abstract record DeliveryTarget
{
    /// <summary>The text the API and the stored delivery rows name the target's kind with.</summary>
    public abstract string Type { get; }
}

/// <summary>Stored and listed by the API; nothing is sent.</summary>
public sealed record InAppTarget : DeliveryTarget
{
    public override string Type => DeliveryTypes.InApp;
}

/// <summary>A Slack or Mattermost incoming webhook; <see cref="Secret"/> signs each body.</summary>
public sealed record WebhookTarget(Uri Url, string Secret) : DeliveryTarget
{
    public override string Type => DeliveryTypes.Webhook;

    // The secret is write-only: it never appears in logs or in what a record prints.
    protected override bool PrintMembers(System.Text.StringBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Append("Url = ").Append(Url);
        return true;
    }
}

/// <summary>An email to <see cref="Address"/> through the deployment's SMTP server.</summary>
public sealed record EmailTarget(string Address) : DeliveryTarget
{
    public override string Type => DeliveryTypes.Email;
}
