namespace Recaps.Workflows.Configuration;

/// <summary>A setting that is missing or unusable; the message names it, the rule and how to set it.</summary>
public sealed class SettingException : Exception
{
    public SettingException()
    {
    }

    public SettingException(string message)
        : base(message)
    {
    }

    public SettingException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
