namespace Sequencer.Execution;

/// <summary>Where <c>Kind=auto</c> looks for anvil: the configured path, the repository's npm tools, then PATH.</summary>
internal static class AnvilBinary
{
    public static string? Find(string? configured, string contentRoot)
    {
        foreach (var candidate in Candidates(configured, contentRoot))
        {
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    public static string WhereLooked(string? configured, string contentRoot) =>
        string.Join(", ", Candidates(configured, contentRoot).Take(string.IsNullOrWhiteSpace(configured) ? 2 : 3)) + ", PATH";

    private static IEnumerable<string> Candidates(string? configured, string contentRoot)
    {
        if (!string.IsNullOrWhiteSpace(configured))
        {
            yield return Path.GetFullPath(configured);
            yield break;
        }

        // `dotnet run --project src/Sequencer` runs with the project folder as content root and the repository
        // as working directory: look for the npm tools (scripts/test.sh installs them) in and above both.
        foreach (var start in new[] { Directory.GetCurrentDirectory(), contentRoot })
        {
            for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
            {
                var tool = Path.Combine(directory.FullName, "tools", "node_modules", ".bin", "anvil");
                if (File.Exists(tool))
                {
                    yield return tool;
                    yield break;
                }
            }
        }

        foreach (var folder in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            yield return Path.Combine(folder, "anvil");
        }
    }
}
