namespace TestInfrastructure.Processes;

/// <summary>
/// Where the real external parts live. scripts/test.sh installs them and exports the
/// variables; a developer running `dotnet test` directly gets the same defaults.
/// </summary>
public static class ToolPaths
{
    /// <summary>The repository root (the folder holding Sequencer.sln).</summary>
    public static string RepoRoot { get; } = FindRepoRoot();

    public static string ToolsNodeModules => Path.Combine(RepoRoot, "tools", "node_modules");

    public static string Anvil => FromEnvironment("ANVIL_PATH", Path.Combine(ToolsNodeModules, ".bin", "anvil"));

    public static string Cast => FromEnvironment("CAST_PATH", Path.Combine(ToolsNodeModules, ".bin", "cast"));

    public static string Solcjs => FromEnvironment("SOLCJS_PATH", Path.Combine(ToolsNodeModules, ".bin", "solcjs"));

    public static string RedisServer => FromEnvironment("REDIS_SERVER_PATH", "/usr/bin/redis-server");

    public static string Etcd => FromEnvironment("ETCD_PATH", "/usr/bin/etcd");

    public static string Prometheus => FromEnvironment("PROMETHEUS_PATH", "/usr/bin/prometheus");

    public static string Promtool => FromEnvironment("PROMTOOL_PATH", "/usr/bin/promtool");

    public static string Chromium => FromEnvironment("CHROMIUM_PATH", "/usr/bin/chromium");

    public static string Node => FromEnvironment("NODE_PATH_BIN", "node");

    private static string FromEnvironment(string variable, string fallback)
    {
        var value = Environment.GetEnvironmentVariable(variable);
        return string.IsNullOrWhiteSpace(value) ? fallback : value;
    }

    private static string FindRepoRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Sequencer.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("cannot find the repository root (Sequencer.sln) above " + AppContext.BaseDirectory);
    }
}
