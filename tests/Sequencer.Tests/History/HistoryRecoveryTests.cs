using TestInfrastructure;
using Sequencer.Log;
using TestInfrastructure.Ethereum;

namespace Sequencer.Tests.History;

/// <summary>
/// The checkpoint and the history chunks are derived from the log: damaged or missing, they are rebuilt or ignored,
/// and nothing confirmed is lost, no sequence number given twice.
/// </summary>
public sealed class HistoryRecoveryTests : IAsyncLifetime
{
    private readonly BoundedHistoryHost _host = new();

    public Task InitializeAsync() => _host.InitializeAsync();

    public Task DisposeAsync() => _host.DisposeAsync();

    private string CheckpointPath => Path.Combine(_host.HistoryDirectory, "checkpoint");

    private string[] Chunks => Directory.GetFiles(_host.HistoryDirectory, "*.idx").Order().ToArray();

    [Fact]
    public async Task MissingCheckpoint_ReplaysTheWholeLog_AndNothingIsLost()
    {
        var confirmations = await _host.SendAsync(wallets: 3, perWallet: 50, seed: 900);
        await _host.WaitIndexedAsync(150);
        await _host.StopAsync();
        File.Delete(CheckpointPath);

        await _host.StartAsync();

        var status = await _host.Rpc.ResultAsync("sequencer_getStatus");
        Assert.Equal(150, status.GetProperty("wal").GetProperty("recoveredRecords").GetInt64());
        await _host.AssertAllAnsweredAsync(confirmations);
        await AssertSequencingContinuesAtAsync(150, seed: 900, nonce: 50);
    }

    [Fact]
    public async Task DamagedCheckpoint_IsIgnored_AndNothingIsLost()
    {
        var confirmations = await _host.SendAsync(wallets: 3, perWallet: 40, seed: 910);
        await _host.WaitIndexedAsync(120);
        await _host.StopAsync();
        var bytes = await File.ReadAllBytesAsync(CheckpointPath);
        bytes[20] ^= 0x40;
        await File.WriteAllBytesAsync(CheckpointPath, bytes);

        await _host.StartAsync();

        await _host.AssertAllAnsweredAsync(confirmations);
        await AssertSequencingContinuesAtAsync(120, seed: 910, nonce: 40);
    }

    [Fact]
    public async Task MissingOrHeaderDamagedChunks_AreRebuiltFromTheLogAtStart()
    {
        // Enough for two chunks after the indexer's merges (small chunks merge into ones of 5 × 32 records or more).
        var confirmations = await _host.SendAsync(wallets: 4, perWallet: 80, seed: 920);
        await _host.WaitIndexedAsync(320);
        await _host.StopAsync();
        var chunks = Chunks;
        Assert.True(chunks.Length >= 2, string.Join(", ", chunks));
        File.Delete(chunks[1]);
        var header = await File.ReadAllBytesAsync(chunks[0]);
        header[10] ^= 0x01; // the first sequence in the header: its checksum no longer holds
        await File.WriteAllBytesAsync(chunks[0], header);

        await _host.StartAsync();

        var history = await _host.HistoryStatusAsync();
        Assert.True(history.GetProperty("chunksRebuilt").GetInt32() >= 2, history.GetRawText());
        Assert.Equal(0, (await _host.Rpc.ResultAsync("sequencer_getStatus")).GetProperty("wal").GetProperty("recoveredRecords").GetInt64());
        await _host.AssertAllAnsweredAsync(confirmations);
        await AssertSequencingContinuesAtAsync(320, seed: 920, nonce: 80);
    }

    [Fact]
    public async Task ChunkWithDamagedContent_IsRebuiltInTheBackground_AndAnswersStayRight()
    {
        var confirmations = await _host.SendAsync(wallets: 3, perWallet: 50, seed: 930);
        await _host.WaitIndexedAsync(150);
        await _host.StopAsync();
        var chunk = Chunks[0];
        var bytes = await File.ReadAllBytesAsync(chunk);
        for (var i = 200; i < bytes.Length; i += 97)
        {
            bytes[i] ^= 0x5A; // entries, positions and block headers all damaged; the header is intact
        }

        await File.WriteAllBytesAsync(chunk, bytes);

        await _host.StartAsync();

        await Eventually.UntilAsync(
            _host.HistoryStatusAsync,
            history => history.GetProperty("chunksRebuilt").GetInt32() > 0,
            TimeSpan.FromSeconds(30),
            history => $"no chunk rebuilt: {history}");
        Assert.Equal(1, (await _host.HistoryStatusAsync()).GetProperty("chunksRebuilt").GetInt32());
        await _host.AssertAllAnsweredAsync(confirmations);
    }

    [Fact]
    public async Task OlderCheckpoint_WithChunksAndRecordsAfterIt_LosesNothing_AndReusesNoSequence()
    {
        // A crash after a chunk (or records) but before the next checkpoint is the same as an older checkpoint.
        var first = await _host.SendAsync(wallets: 2, perWallet: 40, seed: 940);
        await _host.WaitIndexedAsync(80);
        var older = await File.ReadAllBytesAsync(CheckpointPath);
        var second = await _host.SendAsync(wallets: 2, perWallet: 40, seed: 950);
        await _host.WaitIndexedAsync(160);
        var third = await _host.SendAsync(wallets: 1, perWallet: 7, seed: 960);
        await _host.StopAsync();
        await File.WriteAllBytesAsync(CheckpointPath, older);
        await File.WriteAllBytesAsync(CheckpointPath + ".tmp", [1, 2, 3]); // a crash in the middle of writing the next one

        await _host.StartAsync();

        var recovered = (await _host.Rpc.ResultAsync("sequencer_getStatus")).GetProperty("wal").GetProperty("recoveredRecords").GetInt64();
        Assert.Equal(87, recovered);
        await _host.AssertAllAnsweredAsync([.. first, .. second, .. third]);
        await AssertSequencingContinuesAtAsync(167, seed: 960, nonce: 7);
    }

    [Fact]
    public async Task CheckpointAheadOfTheLog_StopsTheStart_InsteadOfReusingSequences()
    {
        await _host.SendAsync(wallets: 2, perWallet: 40, seed: 970);
        await _host.WaitIndexedAsync(80);
        await _host.StopAsync();
        // The log lost records the checkpoint says were confirmed (say, restored from an older backup without the
        // history directory's matching state): starting would give their sequence numbers to new transactions.
        foreach (var segment in Directory.GetFiles(_host.WalDirectory, "*.wal"))
        {
            File.Delete(segment);
        }

        var failure = await Assert.ThrowsAsync<WalCorruptedException>(() => _host.StartAsync());
        Assert.Contains("checkpoint", failure.Message);
    }

    private async Task AssertSequencingContinuesAtAsync(ulong sequence, int seed, ulong nonce)
    {
        var wallet = _host.NewWallet(seed);
        var next = await _host.Rpc.ResultAsync("sequencer_sendRawTransaction", wallet.Sign1559(nonce));
        Assert.Equal(sequence, SoftConfirmationVerifier.Quantity(next, "sequence"));
    }
}
