using TestInfrastructure.Ethereum;

namespace Sequencer.Tests.History;

/// <summary>
/// A clean stop indexes what waits for a chunk and writes a checkpoint at the end of the log, so that the next start
/// replays nothing; the log stays the truth (a chunk lost after the stop is rebuilt from it, nothing confirmed is lost).
/// </summary>
public sealed class CleanStopCheckpointTests : IAsyncLifetime
{
    private readonly IdleIndexerHost _host = new();

    public Task InitializeAsync() => _host.InitializeAsync();

    public Task DisposeAsync() => _host.DisposeAsync();

    /// <summary>
    /// The bounded host with an indexer that never writes on its own during a test (an hour between checkpoints; fewer
    /// transactions are sent than a chunk's count or bytes): whatever is indexed after a stop, the stop indexed.
    /// </summary>
    private sealed class IdleIndexerHost : BoundedHistoryHost
    {
        protected override IEnumerable<string> Settings => [.. base.Settings, "--Sequencer:History:CheckpointIntervalMs=3600000"];
    }

    private async Task<long> RecoveredRecordsAsync() =>
        (await _host.Rpc.ResultAsync("sequencer_getStatus")).GetProperty("wal").GetProperty("recoveredRecords").GetInt64();

    [Fact]
    public async Task CleanStop_WritesACheckpointAtTheEnd_AndTheNextStartReplaysNothing()
    {
        var confirmations = await _host.SendAsync(wallets: 3, perWallet: 8, seed: 1200);
        Assert.Equal(0, (await _host.HistoryStatusAsync()).GetProperty("indexedSequenceEnd").GetInt64()); // the premise: nothing indexed yet

        await _host.RestartAsync();

        var history = await _host.HistoryStatusAsync();
        Assert.Equal(0, await RecoveredRecordsAsync());
        Assert.Equal(24, history.GetProperty("checkpointSequence").GetInt64());
        Assert.Equal(24, history.GetProperty("indexedSequenceEnd").GetInt64());
        await _host.AssertAllAnsweredAsync(confirmations);

        // Again, with transactions of this run after the checkpoint of the last stop.
        var more = await _host.SendAsync(wallets: 2, perWallet: 5, seed: 1300);
        await _host.RestartAsync();

        Assert.Equal(0, await RecoveredRecordsAsync());
        Assert.Equal(34, (await _host.HistoryStatusAsync()).GetProperty("checkpointSequence").GetInt64());
        await _host.AssertAllAnsweredAsync([.. confirmations, .. more]);
        var next = await _host.Rpc.ResultAsync("sequencer_sendRawTransaction", _host.NewWallet(1200).Sign1559(8));
        Assert.Equal(34UL, SoftConfirmationVerifier.Quantity(next, "sequence"));
    }

    [Fact]
    public async Task ChunkWrittenAtStop_LostAfterwards_IsRebuiltFromTheLog()
    {
        var confirmations = await _host.SendAsync(wallets: 2, perWallet: 10, seed: 1400);
        await _host.StopAsync();
        var chunks = Directory.GetFiles(_host.HistoryDirectory, "*.idx");
        Assert.Single(chunks);
        File.Delete(chunks[0]);

        await _host.StartAsync();

        Assert.True((await _host.HistoryStatusAsync()).GetProperty("chunksRebuilt").GetInt32() >= 1);
        Assert.Equal(0, await RecoveredRecordsAsync());
        await _host.AssertAllAnsweredAsync(confirmations);
        var next = await _host.Rpc.ResultAsync("sequencer_sendRawTransaction", _host.NewWallet(1400).Sign1559(10));
        Assert.Equal(20UL, SoftConfirmationVerifier.Quantity(next, "sequence"));
    }
}
