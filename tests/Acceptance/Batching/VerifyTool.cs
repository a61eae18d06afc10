using TestInfrastructure.Processes;

namespace Acceptance.Batching;

/// <summary>
/// Runs the built `verify` command (src/Verify's Verify.dll, by `dotnet`) as a user would:
/// arguments in, exit code and printed text out.
/// </summary>
internal static class VerifyTool
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    /// <summary>The built verify executable, from the same configuration (Debug/Release) as the running tests.</summary>
    public static string VerifyDll
    {
        get
        {
            var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Debug" : "Release";
            var dll = Path.Combine(ToolPaths.RepoRoot, "src", "Verify", "bin", configuration, "net10.0", "Verify.dll");
            return File.Exists(dll) ? dll : throw new FileNotFoundException("build src/Verify first: " + dll);
        }
    }

    public static async Task<(int ExitCode, string Output)> RunAsync(params string[] arguments)
    {
        await using var verify = ManagedProcess.Start("dotnet", [VerifyDll, "verify", .. arguments], ToolPaths.RepoRoot, name: "verify");
        if (!await verify.WaitForExitAsync(Timeout))
        {
            throw new TimeoutException($"verify {string.Join(' ', arguments)} did not finish within {Timeout}:\n{verify.RecentOutput}");
        }

        return (verify.ExitCode!.Value, verify.RecentOutput);
    }
}
