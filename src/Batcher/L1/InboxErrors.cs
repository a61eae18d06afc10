using System.Text.Json;
using Nethereum.Util;

namespace Batcher.L1;

/// <summary>Names BatchInbox's custom errors from revert data, using the errors the compiled ABI declares.</summary>
public static class InboxErrors
{
    private static readonly Lazy<Dictionary<string, string>> BySelector = new(Load);

    /// <summary>"ForcedEntryOverdue" for revert data starting with its selector; the selector itself when unknown.</summary>
    public static string Name(string? encodedData)
    {
        if (encodedData is null || encodedData.Length < 10)
        {
            return "revert without data";
        }

        var selector = encodedData[..10].ToLowerInvariant();
        return BySelector.Value.TryGetValue(selector, out var name) ? name : selector;
    }

    private static Dictionary<string, string> Load()
    {
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        using var abi = JsonDocument.Parse(InboxContract.Abi);
        foreach (var entry in abi.RootElement.EnumerateArray())
        {
            if (entry.GetProperty("type").GetString() != "error")
            {
                continue;
            }

            var name = entry.GetProperty("name").GetString()!;
            var types = entry.GetProperty("inputs").EnumerateArray().Select(i => i.GetProperty("type").GetString());
            var signature = $"{name}({string.Join(',', types)})";
            names["0x" + Sha3Keccack.Current.CalculateHash(signature)[..8]] = name;
        }

        return names;
    }
}
