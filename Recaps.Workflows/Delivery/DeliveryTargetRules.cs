using System.Text.RegularExpressions;
using Recaps.Workflows.Domain;

namespace Recaps.Workflows.Delivery;

/// <summary>A delivery target as a request states it; which fields count depends on <see cref="Type"/>.</summary>
public sealed record DeliveryTargetInput(string? Type, string? Url, string? Secret, string? Address);

/// <summary>
/// What a list of delivery targets must be, as regular expressions the OpenAPI document states and the
/// checks use alike, so a target the document allows is accepted.
/// </summary>
public static class DeliveryTargetRules
{
    public const int MaxTargets = 5;

    public const int MaxUrlLength = 2000;

    public const int MinSecretLength = 16;

    public const int MaxSecretLength = 256;

    public const int MaxAddressLength = 254;

    /// <summary>Printable ASCII without spaces: what a header value and a config file carry unchanged.</summary>
    public static readonly string SecretPattern = $"^[!-~]{{{MinSecretLength},{MaxSecretLength}}}$";

    /// <summary>An ASCII address: a dot-atom local part and a domain of at least two labels.</summary>
    public const string AddressPattern = "^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*@" + Label + "(?:\\." + Label + ")+$";

    private const string Label = "[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?";

    private const string Port = "(?::(?:[1-9][0-9]{0,3}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5]))?";

    /// <summary>https (http too where private addresses are allowed, for receivers on the same network), a host name, a port, a path and query; no credentials, no fragment.</summary>
    public static string UrlPattern(bool allowHttp) => $"^{(allowHttp ? "https?" : "https")}://{Label}(?:\\.{Label})*{Port}(?:[/?][!-\"$-~]*)?$";

    /// <summary>
    /// The targets <paramref name="inputs"/> stand for, each once, in order; null with <paramref name="errors"/>
    /// (keyed by <paramref name="field"/>, as <c>targets[1].url</c>) added when they break a rule.
    /// </summary>
    public static IReadOnlyList<DeliveryTarget>? Check(IReadOnlyList<DeliveryTargetInput?>? inputs, bool allowHttp, ValidationErrors errors, string field = "targets")
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (inputs is null || inputs.Count is 0 or > MaxTargets)
        {
            errors.Add(field, $"{field} must list 1–{MaxTargets} targets.");
            return null;
        }

        var before = errors.Count;
        var targets = new List<DeliveryTarget>();
        for (var i = 0; i < inputs.Count; i++)
        {
            if (Target(inputs[i], $"{field}[{i}]", allowHttp, errors) is { } target && !targets.Contains(target))
            {
                targets.Add(target);
            }
        }

        return errors.Count == before ? targets : null;
    }

    private static DeliveryTarget? Target(DeliveryTargetInput? input, string field, bool allowHttp, ValidationErrors errors)
    {
        if (input?.Type is not { } type || !DeliveryTypes.All.Contains(type))
        {
            errors.Add($"{field}.type", $"{field}.type must be one of: {string.Join(", ", DeliveryTypes.All)}.");
            return null;
        }

        var foreign = type switch
        {
            DeliveryTypes.Webhook => input.Address,
            DeliveryTypes.Email => input.Url ?? input.Secret,
            _ => input.Url ?? input.Secret ?? input.Address,
        };
        if (foreign is not null)
        {
            errors.Add(field, $"{field} has a field a {type} target does not take: a webhook takes url and secret, an email address, inApp none.");
            return null;
        }

        switch (type)
        {
            case DeliveryTypes.Webhook:
                var url = Matching(input.Url, UrlPattern(allowHttp), MaxUrlLength, $"{field}.url", $"an absolute {(allowHttp ? "http or https" : "https")} URL with a host name, at most {MaxUrlLength} characters, without credentials or fragment", errors);
                var secret = Matching(input.Secret, SecretPattern, MaxSecretLength, $"{field}.secret", $"{MinSecretLength}–{MaxSecretLength} printable ASCII characters without spaces", errors);
                return url is null || secret is null ? null : new WebhookTarget(new Uri(url), secret);
            case DeliveryTypes.Email:
                var address = Matching(input.Address, AddressPattern, MaxAddressLength, $"{field}.address", $"an email address (ASCII), at most {MaxAddressLength} characters", errors);
                return address is null ? null : new EmailTarget(address);
            default:
                return new InAppTarget();
        }
    }

    private static string? Matching(string? value, string pattern, int maxLength, string field, string rule, ValidationErrors errors)
    {
        // The whole value must match: .NET's $ also matches before a final line break, ECMA-262's does not.
        if (value is null || value.Length > maxLength
            || Regex.Match(value, pattern, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1)) is not { Success: true } match || match.Length != value.Length)
        {
            errors.Add(field, $"{field} is required and must be {rule}.");
            return null;
        }

        return value;
    }
}
