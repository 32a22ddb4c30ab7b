namespace Recaps.Workflows.Domain;

/// <summary>A change the sync applies to Temporal, queued in the schedule outbox.</summary>
public enum OutboxOperation
{
    /// <summary>Write the schedule's current intent.</summary>
    Upsert,

    /// <summary>Delete the Temporal schedule (the schedule was deleted or has completed).</summary>
    Delete,

    /// <summary>Bring Temporal's pause in line with the user's.</summary>
    Pause,

    /// <summary>The same as <see cref="Pause"/>: both apply the pause as it stands.</summary>
    Resume,

    /// <summary>Start a run-now's workflow.</summary>
    Run,

    /// <summary>Start the workflow of a recap's regeneration.</summary>
    Regenerate,
}

/// <summary>The text of an <see cref="OutboxOperation"/>, as stored in the outbox.</summary>
public static class OutboxOperationText
{
    private static readonly StateText<OutboxOperation> Texts = new(ToText);

    public static string ToText(this OutboxOperation operation) => operation switch
    {
        OutboxOperation.Upsert => "upsert",
        OutboxOperation.Delete => "delete",
        OutboxOperation.Pause => "pause",
        OutboxOperation.Resume => "resume",
        OutboxOperation.Run => "run",
        OutboxOperation.Regenerate => "regenerate",
        _ => throw StateText<OutboxOperation>.OutOfRange(operation),
    };

    /// <exception cref="UnknownStateTextException">No operation has <paramref name="text"/> (a newer version's, during a rolling upgrade).</exception>
    public static OutboxOperation Parse(string text) => Texts.Parse(text);
}
