using System.Text.Json;
using TestInfrastructure.Processes;

namespace Acceptance.CommandLine;

/// <summary>docs/operations.md names every key of appsettings.json (issue 14 item 6), so a new setting needs its line.</summary>
public sealed class SettingsDocumentationTests
{
    [Fact]
    public void Every_key_of_appsettings_json_is_in_the_settings_table_of_operations_md()
    {
        using var settings = JsonDocument.Parse(File.ReadAllText(Path.Combine(ToolPaths.RepoRoot, "appsettings.json")));
        var operations = File.ReadAllText(Path.Combine(ToolPaths.RepoRoot, "docs", "operations.md"));

        var missing = Keys(settings.RootElement, prefix: null).Where(key => !operations.Contains($"| `{key}` |", StringComparison.Ordinal)).ToArray();

        Assert.True(missing.Length == 0, "not in docs/operations.md, \"Every setting\": " + string.Join(", ", missing));
    }

    private static IEnumerable<string> Keys(JsonElement element, string? prefix)
    {
        if (element.ValueKind != JsonValueKind.Object || !element.EnumerateObject().Any())
        {
            yield return prefix!;
            yield break;
        }

        foreach (var property in element.EnumerateObject())
        {
            foreach (var key in Keys(property.Value, prefix is null ? property.Name : prefix + ":" + property.Name))
            {
                yield return key;
            }
        }
    }
}
