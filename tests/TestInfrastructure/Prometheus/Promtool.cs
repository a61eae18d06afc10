using TestInfrastructure.Processes;

namespace TestInfrastructure.Prometheus;

/// <summary>Runs Debian's <c>promtool</c> (from the prometheus package) and returns its exit code and output.</summary>
public static class Promtool
{
    public static async Task<(int ExitCode, string Output)> RunAsync(params string[] arguments)
    {
        await using var process = ManagedProcess.Start(ToolPaths.Promtool, arguments, name: "promtool");
        if (!await process.WaitForExitAsync(TimeSpan.FromSeconds(60)))
        {
            throw new InvalidOperationException($"promtool {string.Join(' ', arguments)} did not finish:\n{process.RecentOutput}");
        }

        return (process.ExitCode!.Value, process.RecentOutput);
    }
}
