namespace Recaps.ServiceDefaults;

/// <summary>
/// A dependency that cannot be reached or started at start-up (PostgreSQL, Temporal, a CLI): the
/// operator's to fix, so the message names the dependency, where it was looked for and the fixes.
/// </summary>
public sealed class DependencyUnavailableException : Exception
{
    public DependencyUnavailableException()
    {
    }

    public DependencyUnavailableException(string message)
        : base(message)
    {
    }

    public DependencyUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
