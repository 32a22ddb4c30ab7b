namespace Recaps.Workflows.Delivery;

/// <summary>
/// The <c>error</c> a user sees on a delivery: the sender's stable code, then a message safe to show
/// anyone. What failed in full (the receiver's answer, the SMTP reply) goes to the worker's log.
/// </summary>
public static class DeliveryErrors
{
    public static string Describe(string code) => $"{code}: " + code switch
    {
        "webhook_address_not_allowed" => "the webhook's address is private or not https, which this deployment does not allow.",
        "webhook_rejected" => "the webhook refused the recap (a 4xx answer); check its URL.",
        "webhook_unavailable" or "webhook_unreachable" or "webhook_timeout" => "the webhook could not take the recap in time.",
        "email_not_configured" => "this deployment sends no email (no SMTP server is configured).",
        "email_rejected" => "the mail server refused the recap for this address.",
        "email_deferred" or "email_unreachable" => "the mail server could not take the recap in time.",
        _ => "the recap could not be delivered; an operator finds why in the worker's log.",
    };
}
