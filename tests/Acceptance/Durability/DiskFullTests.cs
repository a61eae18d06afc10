using System.Net;
using System.Net.Http;
using TestInfrastructure.Ethereum;
using TestInfrastructure.Sequencer;
using TestInfrastructure.Storage;
using Xunit.Abstractions;
using TestInfrastructure;

namespace Acceptance.Durability;

/// <summary>
/// Issue 10, finding 6, on a real process and a real filesystem (a small tmpfs, filled up): a full disk used to latch the
/// log's failure until a restart. Now new transactions are refused with -32005 log_unavailable while the disk is full,
/// the ones already taken wait, and once space is freed the host is ready again by itself, with nothing lost.
/// </summary>
public sealed class DiskFullTests(ITestOutputHelper output)
{
    [Fact]
    public async Task AFullDisk_ClearsItselfWhenSpaceReturns_WithoutARestart_AndNothingIsLost()
    {
        using var filesystem = SmallFilesystem.Mount(32 * 1024 * 1024);
        await using var sequencer = await SequencerProcess.StartInAsync(
            Path.Combine(filesystem.Path, "data"), "--Logging:LogLevel:Default=Warning", "--Sequencer:Wal:SegmentBytes=1048576");
        using var rpc = new RpcTestClient(sequencer.RpcUrl);
        var ledger = new ConfirmationLedger();
        await ledger.SendAsync(sequencer.RpcUrl, seed: 8_300, wallets: 4, perWallet: 10);

        var filler = filesystem.Fill();
        var wallet = ledger.Wallet(8_310);
        var waiting = new List<Task<RpcResponse>>();
        RpcResponse? refused = null;
        for (var i = 0; refused is null; i++)
        {
            Assert.True(i < 5_000, "the sequencer never noticed the full disk");
            var send = rpc.CallAsync("sequencer_sendRawTransaction", wallet.Sign1559(wallet.TakeNonce()));
            var finished = await Task.WhenAny(send, Task.Delay(TimeSpan.FromSeconds(2)));
            if (finished != send)
            {
                waiting.Add(send); // taken before the failure showed: waits for the disk
                continue;
            }

            var response = await send;
            if (response.Error is null)
            {
                ledger.Record(response.Result);
            }
            else
            {
                refused = response;
            }
        }

        output.WriteLine($"refused: {refused.Error!.Value.GetRawText()}; waiting: {waiting.Count}");
        Assert.Equal(-32005, refused.ErrorCode);
        Assert.Equal("log_unavailable", refused.Error!.Value.GetProperty("data").GetProperty("reason").GetString());
        Assert.Contains("space", refused.ErrorMessage, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(filesystem.Path, refused.ErrorMessage); // the client learns what, not where
        Assert.Equal(HttpStatusCode.ServiceUnavailable, await ReadyStatusAsync(sequencer));
        var status = await rpc.ResultAsync("sequencer_getStatus");
        Assert.Contains("space", status.GetProperty("wal").GetProperty("failure").GetString(), StringComparison.OrdinalIgnoreCase);

        SmallFilesystem.Free(filler);
        await Eventually.UntilAsync(async () => await ReadyStatusAsync(sequencer) == HttpStatusCode.OK, TimeSpan.FromSeconds(60), "ready again after space returned");

        Assert.True(sequencer.IsRunning);
        foreach (var send in waiting)
        {
            var response = await send;
            Assert.Null(response.Error);
            ledger.Record(response.Result);
        }

        // The refused nonce was never taken: the wallet sends it again, and sequencing goes on.
        var pending = (await rpc.ResultAsync("eth_getTransactionCount", wallet.Address, "pending")).GetString()!;
        wallet.ResetNonce(Convert.ToUInt64(pending, 16));
        await ledger.SendAsync(sequencer.RpcUrl, seed: 8_310, wallets: 1, perWallet: 5);
        await ledger.SendAsync(sequencer.RpcUrl, seed: 8_300, wallets: 4, perWallet: 10);
        await ledger.AssertAllIntactAsync(sequencer.RpcUrl);
        output.WriteLine("batcher after the disk got space: " + (await rpc.ResultAsync("sequencer_getStatus")).GetProperty("batcher").GetRawText());

        await sequencer.KillAsync();
        await sequencer.RestartAsync();
        await ledger.AssertAllIntactAsync(sequencer.RpcUrl);
        output.WriteLine($"confirmations checked after restart: {ledger.Count}");
    }

    private static async Task<HttpStatusCode> ReadyStatusAsync(SequencerProcess sequencer)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        using var response = await http.GetAsync(new Uri(sequencer.RpcUrl, "health/ready"));
        return response.StatusCode;
    }
}
