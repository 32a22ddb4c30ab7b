namespace Recaps.Workflows.Domain;

/// <summary>Field errors keyed by the camelCase field name, in the shape of RFC 9457 validation problems.</summary>
public sealed class ValidationErrors
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public int Count => _errors.Count;

    public void Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var messages))
        {
            _errors[field] = messages = [];
        }

        messages.Add(message);
    }

    public IDictionary<string, string[]> ToDictionary() =>
        _errors.ToDictionary(pair => pair.Key, pair => pair.Value.ToArray(), StringComparer.Ordinal);
}

public sealed record ValidationResult(ScheduleIntent? Intent, IDictionary<string, string[]> Errors)
{
    public bool IsValid => Intent is not null;

    public static ValidationResult Valid(ScheduleIntent intent) => new(intent, new Dictionary<string, string[]>());

    public static ValidationResult Invalid(ValidationErrors errors) => new(null, errors.ToDictionary());
}
