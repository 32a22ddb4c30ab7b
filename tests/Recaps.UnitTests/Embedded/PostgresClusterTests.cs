using Recaps.DevTools;

namespace Recaps.Tests.Embedded;

public sealed class PostgresClusterTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("recaps-bin-").FullName;

    [Fact]
    public void FindBinaries_OnPath_ReturnsTheFirstFolderWithInitdbAndPgCtl()
    {
        var onlyInitdb = Tools("only-initdb", "initdb");
        var both = Tools("both", "initdb", "pg_ctl");
        var path = string.Join(Path.PathSeparator, onlyInitdb, both, Tools("later", "initdb", "pg_ctl"));

        Assert.Equal(both, PostgresCluster.FindBinaries(path, Path.Combine(_folder, "none")));
    }

    [Fact]
    public void FindBinaries_NotOnPath_ReturnsTheNewestInstalledVersion()
    {
        var versions = Path.Combine(_folder, "postgresql");
        Tools(Path.Combine("postgresql", "9", "bin"), "initdb", "pg_ctl");
        var newest = Tools(Path.Combine("postgresql", "15", "bin"), "initdb", "pg_ctl");

        Assert.Equal(newest, PostgresCluster.FindBinaries(Tools("empty"), versions));
    }

    [Fact]
    public void FindBinaries_Nowhere_ReturnsNull() => Assert.Null(PostgresCluster.FindBinaries(Tools("empty"), Path.Combine(_folder, "none")));

    [Fact]
    public void New_FolderTooLongForTheSocket_FailsNamingTheFolder()
    {
        var folder = Path.Combine(_folder, new string('f', 100));

        var error = Assert.Throws<InvalidOperationException>(() => new PostgresCluster(folder, "/usr/bin"));

        Assert.Contains("too long for PostgreSQL's socket", error.Message, StringComparison.Ordinal);
        Assert.Contains(folder, error.Message, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string Tools(string relative, params string[] tools)
    {
        var folder = Path.Combine(_folder, relative);
        Directory.CreateDirectory(folder);
        foreach (var tool in tools)
        {
            File.WriteAllText(Path.Combine(folder, tool), "");
        }

        return folder;
    }
}
