using Recaps.DevTools;

namespace Recaps.Tests.Temporal;

public sealed class TemporalCliTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("recaps-cli-").FullName;

    [Fact]
    public void Find_WithConfiguredPath_ReturnsItBeforePath()
    {
        var configured = Touch("custom-temporal");
        var onPath = Touch(Path.Combine("bin", "temporal"));

        Assert.Equal(configured, TemporalCli.Find(configured, Path.GetDirectoryName(onPath)));
    }

    [Fact]
    public void Find_WithConfiguredPathMissing_FailsNamingTheVariable()
    {
        var error = Assert.Throws<FileNotFoundException>(() => TemporalCli.Find(Path.Combine(_folder, "nope"), null));

        Assert.StartsWith("RECAPS_TEMPORAL_CLI names ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Find_WithoutConfiguredPath_ReturnsTheFirstOnPath()
    {
        var first = Touch(Path.Combine("a", "temporal"));
        Touch(Path.Combine("b", "temporal"));
        var path = string.Join(Path.PathSeparator, Path.Combine(_folder, "empty"), Path.GetDirectoryName(first), Path.Combine(_folder, "b"));

        Assert.Equal(first, TemporalCli.Find(null, path));
    }

    [Fact]
    public void Find_WithNoneAnywhere_ReturnsNull() => Assert.Null(TemporalCli.Find("", Path.Combine(_folder, "empty")));

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string Touch(string relative)
    {
        var file = Path.Combine(_folder, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        File.WriteAllText(file, "");
        return file;
    }
}
