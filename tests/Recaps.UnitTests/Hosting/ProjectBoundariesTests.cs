using Recaps.Workflows.Domain;

namespace Recaps.Tests.Hosting;

/// <summary>The core runs under any .NET host: the web framework and the workstation tooling stay outside it.</summary>
public class ProjectBoundariesTests
{
    [Fact]
    public void Core_ReferencesNoWebFrameworkTelemetryOrDevTooling()
    {
        var references = typeof(ScheduleIntent).Assembly.GetReferencedAssemblies().Select(a => a.Name!).ToList();

        Assert.Contains("Npgsql", references);
        Assert.DoesNotContain(references, name => name.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal)
            || name.StartsWith("OpenTelemetry", StringComparison.Ordinal)
            || name is "Recaps.DevTools" or "Recaps.ServiceDefaults" or "Recaps.Api");
    }
}
