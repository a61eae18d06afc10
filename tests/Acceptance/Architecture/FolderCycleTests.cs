using System.Text.RegularExpressions;
using TestInfrastructure.Processes;

namespace Acceptance.Architecture;

/// <summary>
/// The folders of each project under src/ form layers (docs/architecture.md): a folder may use another only if
/// that one does not, directly or through others, use it back. The failure message names each cycle's folders.
/// </summary>
public sealed class FolderCycleTests
{
    [Fact]
    public void No_project_under_src_has_a_cycle_between_its_folders()
    {
        var cycles = new List<string>();
        foreach (var project in Directory.GetDirectories(Path.Combine(ToolPaths.RepoRoot, "src")))
        {
            var name = Path.GetFileName(project);
            var graph = FolderGraph(project, name);
            foreach (var component in StronglyConnected(graph).Where(c => c.Count > 1))
            {
                cycles.Add($"{name}: {{{string.Join(", ", component.Order(StringComparer.Ordinal))}}}");
            }
        }

        Assert.True(cycles.Count == 0, "folder cycles: " + string.Join("; ", cycles));
    }

    [Fact]
    public void A_cycle_between_two_folders_is_found()
    {
        var graph = new Dictionary<string, HashSet<string>>
        {
            ["A"] = ["B"],
            ["B"] = ["A"],
            ["C"] = ["A"],
        };

        var components = StronglyConnected(graph).Where(c => c.Count > 1).ToList();

        Assert.Single(components);
        Assert.Equal(["A", "B"], components[0].Order(StringComparer.Ordinal));
    }

    /// <summary>Folder A uses folder B when a .cs file in A names <c>Project.B</c> (a using or a qualified name).</summary>
    private static Dictionary<string, HashSet<string>> FolderGraph(string projectDirectory, string project)
    {
        var folders = Directory.GetDirectories(projectDirectory)
            .Select(Path.GetFileName)
            .OfType<string>()
            .Where(f => f is not ("bin" or "obj" or "Properties"))
            .ToList();
        var graph = folders.ToDictionary(f => f, _ => new HashSet<string>());
        if (folders.Count == 0)
        {
            return graph;
        }

        var reference = new Regex(@"\b" + Regex.Escape(project) + @"\.(" + string.Join("|", folders.Select(Regex.Escape)) + @")\b");
        foreach (var folder in folders)
        {
            foreach (var file in Directory.EnumerateFiles(Path.Combine(projectDirectory, folder), "*.cs", SearchOption.AllDirectories))
            {
                if (file.Contains("/bin/", StringComparison.Ordinal) || file.Contains("/obj/", StringComparison.Ordinal))
                {
                    continue;
                }

                foreach (Match match in reference.Matches(File.ReadAllText(file)))
                {
                    if (match.Groups[1].Value != folder)
                    {
                        graph[folder].Add(match.Groups[1].Value);
                    }
                }
            }
        }

        return graph;
    }

    /// <summary>Tarjan's strongly connected components.</summary>
    private static List<List<string>> StronglyConnected(Dictionary<string, HashSet<string>> graph)
    {
        var index = new Dictionary<string, int>();
        var low = new Dictionary<string, int>();
        var stack = new Stack<string>();
        var onStack = new HashSet<string>();
        var components = new List<List<string>>();

        void Visit(string node)
        {
            index[node] = low[node] = index.Count;
            stack.Push(node);
            onStack.Add(node);
            foreach (var next in graph[node].Where(graph.ContainsKey))
            {
                if (!index.ContainsKey(next))
                {
                    Visit(next);
                    low[node] = Math.Min(low[node], low[next]);
                }
                else if (onStack.Contains(next))
                {
                    low[node] = Math.Min(low[node], index[next]);
                }
            }

            if (low[node] == index[node])
            {
                var component = new List<string>();
                string popped;
                do
                {
                    popped = stack.Pop();
                    onStack.Remove(popped);
                    component.Add(popped);
                }
                while (popped != node);
                components.Add(component);
            }
        }

        foreach (var node in graph.Keys)
        {
            if (!index.ContainsKey(node))
            {
                Visit(node);
            }
        }

        return components;
    }
}
