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

    /// <summary>
    /// The URL as shown and logged: an incoming webhook's path is itself a credential (whoever knows it
    /// can post to the channel), so only the scheme and host show.
    /// </summary>
    public string ShownUrl => Url.AbsolutePath is "/" && Url.Query.Length == 0 ? Url.GetLeftPart(UriPartial.Authority) + "/" : Url.GetLeftPart(UriPartial.Authority) + "/…";

    // Neither the secret nor the URL's path appears in logs or in what a record prints.
    protected override bool PrintMembers(System.Text.StringBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Append("Url = ").Append(ShownUrl);
        return true;
    }
}

/// <summary>An email to <see cref="Address"/> through the deployment's SMTP server.</summary>
public sealed record EmailTarget(string Address) : DeliveryTarget
{
    public override string Type => DeliveryTypes.Email;
}
