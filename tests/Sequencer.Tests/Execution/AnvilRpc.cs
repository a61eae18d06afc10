using System.Net.Http.Json;
using System.Text.Json;

namespace Sequencer.Tests.Execution;

/// <summary>Direct JSON-RPC to anvil, bypassing the sequencer (to look at what the node really holds).</summary>
public static class AnvilRpc
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };

    public static async Task<JsonElement> CallAsync(string url, string method, params object?[] parameters)
    {
        using var response = await Http.PostAsJsonAsync(url, new { jsonrpc = "2.0", id = 1, method, @params = parameters });
        var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        if (document.RootElement.TryGetProperty("error", out var error))
        {
            throw new InvalidOperationException($"{method}: {error.GetRawText()}");
        }

        return document.RootElement.GetProperty("result").Clone();
    }

    public static async Task<string[]> BlockTransactionHashesAsync(string url, ulong number)
    {
        var block = await CallAsync(url, "eth_getBlockByNumber", "0x" + number.ToString("x"), false);
        return block.ValueKind == JsonValueKind.Null
            ? []
            : block.GetProperty("transactions").EnumerateArray().Select(t => t.GetString()!.ToLowerInvariant()).ToArray();
    }
}
