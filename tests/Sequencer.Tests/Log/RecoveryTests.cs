using System.Text.Json;
using Sequencer.Log;
using Sequencer.Tests.Infrastructure;

namespace Sequencer.Tests.Log;

/// <summary>Restart of a real host on the same data directory: everything confirmed comes back unchanged.</summary>
public sealed class RecoveryTests : IAsyncLifetime
{
    private readonly SequencerHostFixture _host = new();

    public Task InitializeAsync() => _host.InitializeAsync();

    public Task DisposeAsync() => _host.DisposeAsync();

    [Fact]
    public async Task Restart_RestoresConfirmationsBlocksAndNonces()
    {
        var confirmations = await SendAsync(count: 30, seed: 600);
        var headBefore = await _host.Rpc.ResultAsync("eth_getBlockByNumber", "latest", false);

        await _host.RestartAsync();

        foreach (var confirmation in confirmations)
        {
            var recovered = await _host.Rpc.ResultAsync("sequencer_getSoftConfirmation", confirmation.GetProperty("txHash").GetString());
            Assert.Equal(confirmation.GetRawText(), recovered.GetRawText());
        }

        var sameBlock = await _host.Rpc.ResultAsync("eth_getBlockByNumber", headBefore.GetProperty("number").GetString(), false);
        Assert.Equal(headBefore.GetProperty("hash").GetString(), sameBlock.GetProperty("hash").GetString());
        var wallet = _host.NewWallet(600);
        Assert.Equal("0x1e", (await _host.Rpc.ResultAsync("eth_getTransactionCount", wallet.Address, "latest")).GetString());

        // Sequencing continues after the recovered prefix, with no sequence number reused.
        var next = await _host.Rpc.ResultAsync("sequencer_sendRawTransaction", wallet.Sign1559(30));
        Assert.Equal(30UL, TestInfrastructure.Ethereum.SoftConfirmationVerifier.Quantity(next, "sequence"));
    }

    [Fact]
    public async Task TornTail_IsCut_AndEverythingBeforeItSurvives()
    {
        var confirmations = await SendAsync(count: 10, seed: 610);
        await _host.StopAsync();
        var segment = Directory.GetFiles(Path.Combine(_host.DataDirectory, "wal"), "*.wal").Order().Last();
        await using (var stream = new FileStream(segment, FileMode.Append))
        {
            // Half a record: a length prefix promising more bytes than were written.
            await stream.WriteAsync(new byte[] { 200, 0, 0, 0, 1, 2, 3, 4, 1, 0, 0 });
        }

        var lengthWithTail = new FileInfo(segment).Length;
        await _host.StartAsync();

        var status = await _host.Rpc.ResultAsync("sequencer_getStatus");
        Assert.Equal(11, status.GetProperty("wal").GetProperty("tornBytesCut").GetInt64());
        Assert.Equal(lengthWithTail - 11, new FileInfo(segment).Length);
        foreach (var confirmation in confirmations)
        {
            var recovered = await _host.Rpc.ResultAsync("sequencer_getSoftConfirmation", confirmation.GetProperty("txHash").GetString());
            Assert.Equal(confirmation.GetRawText(), recovered.GetRawText());
        }
    }

    [Fact]
    public async Task DamageBeforeTheTail_StopsStartup_InsteadOfDroppingConfirmedTransactions()
    {
        await SendAsync(count: 5, seed: 620);
        await _host.StopAsync();
        // The clean stop left a checkpoint after these records: without it the start replays (and so reads) the whole log.
        File.Delete(Path.Combine(_host.DataDirectory, "history", "checkpoint"));
        var segment = Directory.GetFiles(Path.Combine(_host.DataDirectory, "wal"), "*.wal").Order().Last();
        var bytes = await File.ReadAllBytesAsync(segment);
        bytes[40] ^= 0xFF; // inside the first record's payload
        await File.WriteAllBytesAsync(segment, bytes);
        // A later segment makes the damaged one "not the last": damage there cannot be a torn write.
        File.Copy(segment, Path.Combine(Path.GetDirectoryName(segment)!, "00000000000000000005.wal"));

        var failure = await Assert.ThrowsAsync<WalCorruptedException>(() => _host.StartAsync());
        Assert.Contains("checksum", failure.Message);
        Assert.Contains("a later segment exists", failure.Message);
    }

    private async Task<List<JsonElement>> SendAsync(int count, int seed)
    {
        var wallet = _host.NewWallet(seed);
        var confirmations = new List<JsonElement>();
        for (var i = 0; i < count; i++)
        {
            confirmations.Add(await _host.Rpc.ResultAsync("sequencer_sendRawTransaction", wallet.Sign1559(wallet.TakeNonce())));
        }

        return confirmations;
    }
}
