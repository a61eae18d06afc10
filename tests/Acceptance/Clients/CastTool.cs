using TestInfrastructure.Processes;

namespace Acceptance.Clients;

/// <summary>Runs foundry's `cast` (from the npm tool manifest) and returns what it printed.</summary>
internal static class CastTool
{
    public static async Task<string> RunAsync(TimeSpan timeout, params string[] arguments)
    {
        await using var cast = ManagedProcess.Start(ToolPaths.Cast, arguments, name: "cast");
        var exited = await cast.WaitForExitAsync(timeout);
        if (!exited)
        {
            throw new TimeoutException($"cast {string.Join(' ', arguments)} did not finish within {timeout}:\n{cast.RecentOutput}");
        }

        if (cast.ExitCode != 0)
        {
            throw new InvalidOperationException($"cast {string.Join(' ', arguments)} exited with {cast.ExitCode}:\n{cast.RecentOutput}");
        }

        return cast.RecentOutput.Trim();
    }
}
