using System.Text.RegularExpressions;

namespace Recaps.Workflows.Generation.Agents;

/// <summary>
/// The <c>Recaps:Agents</c> section: LLM agents by name (bound as a dictionary). A schedule may use
/// <c>extractive</c> or any of them.
/// </summary>
public static partial class RecapAgents
{
    public const string Section = "Recaps:Agents";

    /// <summary>Start-up checks with messages that name the setting and the rule.</summary>
    public static IEnumerable<string> Problems(IReadOnlyDictionary<string, AgentOptions> agents)
    {
        ArgumentNullException.ThrowIfNull(agents);
        foreach (var (name, options) in agents.OrderBy(a => a.Key, StringComparer.Ordinal))
        {
            if (name == ExtractiveRecapGenerator.Name)
            {
                yield return $"{Section}:{name} is the built-in agent's name; give the LLM agent another one.";
            }
            else if (!AgentName().IsMatch(name))
            {
                yield return $"{Section}:{name}: an agent's name must be 1 to 40 lowercase letters, digits, '-' or '_', starting with a letter or digit.";
            }

            foreach (var problem in options.Problems(name))
            {
                yield return problem;
            }
        }
    }

    /// <summary>The built-in generator and one per configured agent, for <see cref="RecapGenerators"/>; call after <see cref="Problems"/> found none.</summary>
    public static IEnumerable<IRecapGenerator> Generators(IReadOnlyDictionary<string, AgentOptions> agents, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(agents);
        yield return new ExtractiveRecapGenerator();
        foreach (var (name, options) in agents)
        {
            yield return LlmRecapGenerator.Create(name, options, time);
        }
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9_-]{0,39}$", RegexOptions.CultureInvariant)]
    private static partial Regex AgentName();
}
