namespace Recaps.Workflows.Generation;

/// <summary>The configured generators, by agent name.</summary>
public sealed class RecapGenerators(IEnumerable<IRecapGenerator> generators)
{
    private readonly Dictionary<string, IRecapGenerator> _byAgent = generators.ToDictionary(g => g.Agent, StringComparer.Ordinal);

    public IReadOnlySet<string> Agents => _byAgent.Keys.ToHashSet(StringComparer.Ordinal);

    public IRecapGenerator? Find(string agent) => _byAgent.GetValueOrDefault(agent);
}
