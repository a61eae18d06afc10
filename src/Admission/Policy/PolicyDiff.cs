using System.Text.Json.Nodes;

namespace Admission.Policy;

/// <summary>
/// What changed between two policy documents, as "path: old → new" lines for the audit log. Rules are
/// matched by name, so moving a rule is not reported as a change of every rule.
/// </summary>
public static class PolicyDiff
{
    private const int MaxLines = 50;

    public static List<string> Describe(AdmissionPolicy before, AdmissionPolicy after)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        var lines = new List<string>();
        Compare("$", Normalize(JsonNode.Parse(before.ToJson())), Normalize(JsonNode.Parse(after.ToJson())), lines);
        lines.Remove("$.version: " + before.Version + " → " + after.Version);
        if (lines.Count > MaxLines)
        {
            var more = lines.Count - MaxLines;
            lines.RemoveRange(MaxLines, more);
            lines.Add($"... and {more} more");
        }

        return lines;
    }

    // Turns the rules list into an object keyed by rule name.
    private static JsonNode? Normalize(JsonNode? root)
    {
        if (root is JsonObject obj && obj["rules"] is JsonArray rules)
        {
            var byName = new JsonObject();
            foreach (var rule in rules)
            {
                var name = rule?["name"]?.ToString() ?? "?";
                byName[name] = rule?.DeepClone();
            }

            obj["rules"] = byName;
        }

        return root;
    }

    private static void Compare(string path, JsonNode? a, JsonNode? b, List<string> lines)
    {
        if (a is JsonObject oa && b is JsonObject ob)
        {
            foreach (var (key, value) in oa)
            {
                Compare(path + "." + key, value, ob[key], lines);
            }

            foreach (var (key, value) in ob)
            {
                if (!oa.ContainsKey(key))
                {
                    Compare(path + "." + key, null, value, lines);
                }
            }

            return;
        }

        if (!JsonNode.DeepEquals(a, b))
        {
            lines.Add($"{path}: {Show(a)} → {Show(b)}");
        }
    }

    private static string Show(JsonNode? node) => node is null ? "(none)" : node.ToJsonString();
}
