using System.Net.Http.Json;
using System.Text.Json;

namespace Batcher.Verification;

/// <summary>The two read calls verify makes to the sequencer (plain JSON-RPC 2.0 over HTTP).</summary>
internal sealed class SequencerRpcClient(HttpClient http, string url)
{
    private int _id;

    public async Task<JsonElement?> CallAsync(string method, object[] parameters, CancellationToken cancellationToken)
    {
        var request = new { jsonrpc = "2.0", id = Interlocked.Increment(ref _id), method, @params = parameters };
        using var response = await http.PostAsJsonAsync(url, request, cancellationToken).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        using var document = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false), cancellationToken: cancellationToken).ConfigureAwait(false);
        if (document.RootElement.TryGetProperty("error", out var error))
        {
            throw new InvalidOperationException($"sequencer RPC {method} failed: {error.GetRawText()}");
        }

        var result = document.RootElement.GetProperty("result");
        return result.ValueKind == JsonValueKind.Null ? null : result.Clone();
    }
}
