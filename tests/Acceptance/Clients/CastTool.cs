using TestInfrastructure.Processes;

namespace Acceptance.Clients;

/// <summary>Runs foundry's `cast` (from the npm tool manifest) and returns what it printed.</summary>
internal static class CastTool
{
    public static Task<string> RunAsync(TimeSpan timeout, params string[] arguments) => ToolAsync(ToolPaths.Cast, timeout, arguments);

    /// <summary>A script of tools/scripts run by node (viem, ethers from the npm tool manifest).</summary>
    public static Task<string> NodeScriptAsync(TimeSpan timeout, string script, params string[] arguments) =>
        ToolAsync(ToolPaths.Node, timeout, [Path.Combine(ToolPaths.RepoRoot, "tools", "scripts", script), .. arguments]);

    /// <summary>Runs cast where it must fail: returns all it printed; throws if it exited with 0.</summary>
    public static async Task<string> FailureAsync(TimeSpan timeout, params string[] arguments)
    {
        await using var cast = ManagedProcess.Start(ToolPaths.Cast, arguments, name: "cast");
        if (!await cast.WaitForExitAsync(timeout))
        {
            throw new TimeoutException($"cast {string.Join(' ', arguments)} did not finish within {timeout}:\n{cast.RecentOutput}");
        }

        return cast.ExitCode != 0
            ? cast.RecentOutput.Trim()
            : throw new InvalidOperationException($"cast {string.Join(' ', arguments)} succeeded where it must fail:\n{cast.RecentOutput}");
    }

    /// <summary>Runs a tool to its end and returns all it printed (stdout and stderr); throws unless it exited with 0.</summary>
    public static async Task<string> ToolAsync(string tool, TimeSpan timeout, params string[] arguments)
    {
        await using var cast = ManagedProcess.Start(tool, arguments, name: Path.GetFileName(tool));
        var exited = await cast.WaitForExitAsync(timeout);
        if (!exited)
        {
            throw new TimeoutException($"{tool} {string.Join(' ', arguments)} did not finish within {timeout}:\n{cast.RecentOutput}");
        }

        if (cast.ExitCode != 0)
        {
            throw new InvalidOperationException($"{tool} {string.Join(' ', arguments)} exited with {cast.ExitCode}:\n{cast.RecentOutput}");
        }

        return cast.RecentOutput.Trim();
    }
}
