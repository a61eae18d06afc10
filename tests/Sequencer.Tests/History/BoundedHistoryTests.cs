using System.Runtime.CompilerServices;
using Microsoft.Extensions.DependencyInjection;
using Sequencer.Sequencing;
using TestInfrastructure.Ethereum;
using Sequencer.History;

namespace Sequencer.Tests.History;

/// <summary>
/// Memory independent of history (issue 10): with bounds far below what was sent, memory holds no more than the
/// bound (plus what waits for the next chunk), and every transaction and block ever confirmed still answers, from disk.
/// </summary>
public sealed class BoundedHistoryTests : IAsyncLifetime
{
    private readonly BoundedHistoryHost _host = new();

    public Task InitializeAsync() => _host.InitializeAsync();

    public Task DisposeAsync() => _host.DisposeAsync();

    [Fact]
    public async Task MoreThanTheBound_StaysBoundedInMemory_AndEveryOldTransactionAndBlockStillAnswers()
    {
        var confirmations = await _host.SendAsync(wallets: 6, perWallet: 100, seed: 700);
        var firstBlock = await _host.Rpc.ResultAsync("eth_getBlockByNumber", "0x1", true);
        await _host.WaitIndexedAsync(600);
        await _host.SendAsync(wallets: 1, perWallet: 1, seed: 750); // the writer drops what the index now covers

        var history = await _host.HistoryStatusAsync();
        Assert.InRange(history.GetProperty("transactionsInMemory").GetInt64(), 0, BoundedHistoryHost.MaxTransactions + BoundedHistoryHost.Slack);
        Assert.InRange(history.GetProperty("blocksInMemory").GetInt64(), 0, BoundedHistoryHost.MaxBlocks + BoundedHistoryHost.Slack);
        Assert.True(history.GetProperty("chunks").GetInt32() >= 2, history.GetRawText());

        // Chunks are written every 32 records (so the checkpoint stays close) and the small ones at the end merged into
        // one in runs of five: every chunk but fewer than five at the end covers at least 5 × 32 records, so a lookup
        // by hash has few files to probe. Lookups below go through the merged chunks.
        var chunks = _host.App.Services.GetRequiredService<ChainStore>().History!.Chunks;
        var trailing = chunks.Reverse().TakeWhile(c => c.End - c.First < 5 * 32).Count();
        Assert.True(trailing < 5, string.Join(", ", chunks.Select(c => $"{c.First}-{c.End}")));
        Assert.All(chunks.Take(chunks.Count - trailing), c => Assert.True(c.End - c.First >= 5 * 32));
        await _host.AssertAllAnsweredAsync(confirmations);

        // Blocks long gone from memory: by number (with their transactions) and by hash, unchanged.
        var again = await _host.Rpc.ResultAsync("eth_getBlockByNumber", "0x1", true);
        Assert.Equal(firstBlock.GetRawText(), again.GetRawText());
        var byHash = await _host.Rpc.ResultAsync("eth_getBlockByHash", firstBlock.GetProperty("hash").GetString(), false);
        Assert.Equal(firstBlock.GetProperty("hash").GetString(), byHash.GetProperty("hash").GetString());

        // An idempotent re-send of the very first transaction gets its original confirmation, never a new sequence.
        var wallet = _host.NewWallet(700);
        var resent = await _host.Rpc.ResultAsync("sequencer_sendRawTransaction", wallet.Sign1559(0));
        Assert.Equal(confirmations[0].GetRawText(), resent.GetRawText());
        var tooLow = await _host.Rpc.CallAsync("eth_sendRawTransaction", wallet.Sign1559(0, value: 7));
        Assert.Contains("nonce too low", tooLow.Error!.Value.GetProperty("message").GetString());
    }

    [Fact]
    public async Task AnOldTransaction_LeavesMemory_OnceTheBoundIsPassed()
    {
        // Issue 10: the store kept every transaction ever sequenced, so memory grew with history.
        var first = (await _host.SendAsync(wallets: 1, perWallet: 1, seed: 1000))[0];
        var store = _host.App.Services.GetRequiredService<ChainStore>();
        var held = WeakReferenceTo(store, 0);
        Assert.True(held.IsAlive);

        await _host.SendAsync(wallets: 4, perWallet: 60, seed: 1010);
        for (var i = 0; i < 100 && held.IsAlive; i++)
        {
            await _host.SendAsync(wallets: 1, perWallet: 1, seed: 1020 + i); // lets the writer drop what is indexed by now
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            await Task.Delay(100);
        }

        Assert.False(held.IsAlive, "the first transaction is still held in memory after 300 more and a bound of 64");
        var again = await _host.Rpc.ResultAsync("sequencer_getSoftConfirmation", first.GetProperty("txHash").GetString());
        Assert.Equal(first.GetRawText(), again.GetRawText());
    }

    [Fact]
    public async Task Restart_ReplaysOnlyAfterTheCheckpoint_AndKeepsEverything()
    {
        var confirmations = await _host.SendAsync(wallets: 4, perWallet: 60, seed: 800);
        await _host.WaitIndexedAsync(240);
        var after = await _host.SendAsync(wallets: 1, perWallet: 5, seed: 810);

        await _host.RestartAsync();

        var status = await _host.Rpc.ResultAsync("sequencer_getStatus");
        Assert.InRange(status.GetProperty("wal").GetProperty("recoveredRecords").GetInt64(), 0, 5 + BoundedHistoryHost.Slack);
        await _host.AssertAllAnsweredAsync([.. confirmations, .. after]);
        var wallet = _host.NewWallet(800);
        Assert.Equal("0x3c", (await _host.Rpc.ResultAsync("eth_getTransactionCount", wallet.Address, "latest")).GetString());
        var next = await _host.Rpc.ResultAsync("sequencer_sendRawTransaction", wallet.Sign1559(60));
        Assert.Equal(245UL, SoftConfirmationVerifier.Quantity(next, "sequence"));
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static WeakReference WeakReferenceTo(ChainStore store, long sequence) => new(store.GetTransaction(sequence));
}
