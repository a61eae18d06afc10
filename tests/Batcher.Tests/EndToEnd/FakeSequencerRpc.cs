using System.Text.Json;
using Batcher.Tests.Chain;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Nethereum.Hex.HexConvertors.Extensions;
using Nethereum.Util;
using TestInfrastructure.Processes;

namespace Batcher.Tests.EndToEnd;

/// <summary>
/// A JSON-RPC endpoint that answers the two calls verify makes of a sequencer
/// (sequencer_getSoftConfirmation, sequencer_getBlockByNumber) from a test chain, optionally lying.
/// </summary>
public sealed class FakeSequencerRpc : IAsyncDisposable
{
    private readonly WebApplication _app;

    private FakeSequencerRpc(WebApplication app, string url)
    {
        _app = app;
        Url = url;
    }

    public string Url { get; }

    /// <summary>Applied to every confirmation before it is returned.</summary>
    public Func<Dictionary<string, object>, Dictionary<string, object>> EditConfirmation { get; set; } = c => c;

    public static async Task<FakeSequencerRpc> StartAsync(TestChain chain)
    {
        var port = FreePort.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        var app = builder.Build();
        var server = new FakeSequencerRpc(app, $"http://127.0.0.1:{port}");
        app.MapPost("/", async (HttpContext context) =>
        {
            using var request = await JsonDocument.ParseAsync(context.Request.Body);
            var method = request.RootElement.GetProperty("method").GetString();
            var parameter = request.RootElement.GetProperty("params")[0].GetString()!;
            object? result = method switch
            {
                "sequencer_getSoftConfirmation" => chain.Confirmed.FirstOrDefault(c => c.TxHash.ToHex(true) == parameter) is { } tx ? server.EditConfirmation(new Dictionary<string, object>
                {
                    ["txHash"] = tx.TxHash.ToHex(true),
                    ["sequence"] = "0x" + tx.Sequence.ToString("x"),
                    ["blockNumber"] = "0x" + tx.BlockNumber.ToString("x"),
                    ["index"] = "0x" + tx.Index.ToString("x"),
                    ["timestamp"] = "0x" + tx.Timestamp.ToString("x"),
                    ["accumulator"] = tx.Accumulator.ToHex(true),
                }) : null,
                "sequencer_getBlockByNumber" => chain.GetSealedBlock(Convert.ToUInt64(parameter[2..], 16)) is { } block ? new Dictionary<string, object>
                {
                    ["number"] = parameter,
                    ["timestamp"] = "0x" + block.Timestamp.ToString("x"),
                    ["transactions"] = block.Transactions.Select(t => Sha3Keccack.Current.CalculateHash(t.ToArray()).ToHex(true)).ToArray(),
                } : null,
                _ => null,
            };
            await context.Response.WriteAsJsonAsync(new { jsonrpc = "2.0", id = request.RootElement.GetProperty("id").GetInt32(), result });
        });
        await app.StartAsync();
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
