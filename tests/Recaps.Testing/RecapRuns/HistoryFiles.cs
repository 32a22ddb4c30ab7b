namespace Recaps.Tests.RecapRuns;

/// <summary>The committed RecapWorkflow histories: RecapRuns/Histories, copied next to the test assembly.</summary>
internal static class HistoryFiles
{
    public static string Folder => Path.Combine(AppContext.BaseDirectory, "RecapRuns", "Histories");

    public static string FileName(string historyCase) => $"recap-workflow.{historyCase}.json";

    public static Task<string> ReadAsync(string historyCase) =>
        File.ReadAllTextAsync(Path.Combine(Folder, FileName(historyCase)), TestContext.Current.CancellationToken);
}
