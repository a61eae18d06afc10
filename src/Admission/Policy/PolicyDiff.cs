using System.Text.Json.Nodes;

namespace Admission.Policy;

/// <summary>
/// What changed between two policy documents, as "path: old → new" lines for the audit log. Rules are
/// matched by name, so moving a rule is not reported as a change of every rule; lists (the blocked
/// identities, contracts, selectors) report only the entries added and removed, never the whole list.
/// The result is bounded in lines and characters, so one audit entry stays small whatever the policy.
/// </summary>
internal static class PolicyDiff
{
    public const int MaxLines = 50;
    public const int MaxLineChars = 300;
    public const int MaxTotalChars = 8_192;

    public static List<string> Describe(AdmissionPolicy before, AdmissionPolicy after)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        var lines = new List<string>();
        Compare("$", Normalize(JsonNode.Parse(before.ToJson())), Normalize(JsonNode.Parse(after.ToJson())), lines);
        lines.Remove("$.version: " + before.Version + " → " + after.Version);
        return Bound(lines);
    }

    private static List<string> Bound(List<string> lines)
    {
        var bounded = new List<string>(Math.Min(lines.Count, MaxLines + 1));
        var total = 0;
        foreach (var line in lines)
        {
            var text = line.Length <= MaxLineChars ? line : line[..(MaxLineChars - 1)] + "…";
            if (bounded.Count == MaxLines || total + text.Length > MaxTotalChars)
            {
                break;
            }

            bounded.Add(text);
            total += text.Length;
        }

        if (bounded.Count < lines.Count)
        {
            bounded.Add($"... and {lines.Count - bounded.Count} more");
        }

        return bounded;
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

        if (a is JsonArray aa && b is JsonArray ab)
        {
            CompareLists(path, aa, ab, lines);
            return;
        }

        if (!JsonNode.DeepEquals(a, b))
        {
            lines.Add($"{path}: {Show(a)} → {Show(b)}");
        }
    }

    // Entries are compared as JSON text: order within a list carries no meaning in a policy.
    private static void CompareLists(string path, JsonArray before, JsonArray after, List<string> lines)
    {
        var old = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in before)
        {
            old.Add(Show(item));
        }

        var added = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in after)
        {
            var text = Show(item);
            if (!old.Remove(text))
            {
                added.Add(text);
            }
        }

        foreach (var text in added)
        {
            lines.Add($"{path}: added {text}");
        }

        foreach (var text in old)
        {
            lines.Add($"{path}: removed {text}");
        }
    }

    private static string Show(JsonNode? node) => node is null ? "(none)" : node.ToJsonString();
}
