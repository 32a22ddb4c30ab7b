namespace Recaps.Testing;

/// <summary>The psql client of the PostgreSQL binaries the tests run, for what only psql does (its variables, meta-commands).</summary>
public static class Psql
{
    /// <summary>psql sits beside the real initdb (the binaries folder may hold links to it only).</summary>
    public static string Find(string binaries)
    {
        var initdb = new FileInfo(Path.Combine(binaries, "initdb"));
        return Path.Combine(Path.GetDirectoryName(initdb.ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? initdb.FullName)!, "psql");
    }
}
