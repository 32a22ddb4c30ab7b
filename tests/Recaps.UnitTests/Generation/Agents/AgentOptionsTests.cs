using Microsoft.Extensions.Configuration;
using Recaps.Workflows.Generation;
using Recaps.Workflows.Generation.Agents;

namespace Recaps.Tests.Generation.Agents;

public class AgentOptionsTests
{
    [Fact]
    public void ValidAgent_HasNoProblems_AndIsOfferedBesideExtractive()
    {
        var agents = Bind(new()
        {
            ["Recaps:Agents:gpt:Endpoint"] = "http://127.0.0.1:1/v1",
            ["Recaps:Agents:gpt:Model"] = "gpt-4o-mini",
            ["Recaps:Agents:gpt:MaxInputTokens"] = "16000",
            ["Recaps:Agents:gpt:Temperature"] = "0",
        });

        Assert.Empty(RecapAgents.Problems(agents));
        Assert.Equal((16000, 0f, 1000), (agents["gpt"].MaxInputTokens, agents["gpt"].Temperature, agents["gpt"].MaxOutputTokens));
        var generators = new RecapGenerators(RecapAgents.Generators(agents, TimeProvider.System));
        Assert.Equal(["extractive", "gpt"], generators.Agents.Order(StringComparer.Ordinal));
        Assert.IsType<LlmRecapGenerator>(generators.Find("gpt"));
    }

    [Fact]
    public void InvalidSettings_AreNamedWithTheirRule()
    {
        var agents = Bind(new()
        {
            ["Recaps:Agents:gpt:Endpoint"] = "localhost:11434",
            ["Recaps:Agents:gpt:MaxInputTokens"] = "10",
            ["Recaps:Agents:gpt:MaxOutputTokens"] = "5",
            ["Recaps:Agents:gpt:Temperature"] = "3",
            ["Recaps:Agents:gpt:MaxTokensPerRecap"] = "10",
            ["Recaps:Agents:gpt:MaxRetries"] = "-1",
            ["Recaps:Agents:gpt:RequestTimeout"] = "00:00:00",
        });

        Assert.Equal(
            [
                "Recaps:Agents:gpt:Endpoint must be an absolute http or https address of an OpenAI-compatible API, e.g. http://localhost:11434/v1.",
                "Recaps:Agents:gpt:Model must name the model to call.",
                "Recaps:Agents:gpt:MaxInputTokens must be between 1000 and 2000000.",
                "Recaps:Agents:gpt:MaxOutputTokens must be between 100 and 200000.",
                "Recaps:Agents:gpt:Temperature must be between 0 and 2.",
                "Recaps:Agents:gpt:MaxTokensPerRecap must be at least MaxInputTokens + MaxOutputTokens (15), the cost of one request.",
                "Recaps:Agents:gpt:MaxRetries must be between 0 and 10.",
                "Recaps:Agents:gpt:RequestTimeout must be positive.",
            ],
            RecapAgents.Problems(agents));
    }

    [Theory]
    [InlineData("extractive", "Recaps:Agents:extractive is the built-in agent's name; give the LLM agent another one.")]
    [InlineData("My Agent", "Recaps:Agents:My Agent: an agent's name must be 1 to 40 lowercase letters, digits, '-' or '_', starting with a letter or digit.")]
    public void ReservedOrMalformedName_IsAProblem(string name, string problem)
    {
        var agents = Bind(new() { [$"Recaps:Agents:{name}:Endpoint"] = "https://llm.example/v1", [$"Recaps:Agents:{name}:Model"] = "m" });

        Assert.Equal([problem], RecapAgents.Problems(agents));
    }

    private static Dictionary<string, AgentOptions> Bind(Dictionary<string, string?> settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings).Build().GetSection(RecapAgents.Section).Get<Dictionary<string, AgentOptions>>() ?? [];
}
