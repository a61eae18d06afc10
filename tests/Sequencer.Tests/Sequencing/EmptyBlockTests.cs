using System.Globalization;
using System.Text.Json;
using Sequencer.Tests.History;
using TestInfrastructure;

namespace Sequencer.Tests.Sequencing;

/// <summary>Small history chunks and frequent checkpoints, so that a restart serves the older blocks from the history index.</summary>
public sealed class EmptyBlockHost : BoundedHistoryHost
{
    protected override IEnumerable<string> Settings => [.. base.Settings, "--Sequencer:History:ChunkTransactions=8", "--Sequencer:EmptyBlockIntervalMs=1000"];
}

/// <summary>
/// An idle chain advances with empty blocks (issue 14, "Liveness of the head"), and they are part of the chain like any
/// other block: the same numbers and hashes after a restart, whether the restart rebuilds them from the log, from the
/// history index or after the last transaction, and transactions after the restart come after them.
/// </summary>
public sealed class EmptyBlockTests : IAsyncLifetime
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);
    private readonly EmptyBlockHost _host = new();

    public Task InitializeAsync() => _host.InitializeAsync();

    public Task DisposeAsync() => _host.DisposeAsync();

    [Fact]
    public async Task An_idle_chain_advances_with_empty_blocks_that_keep_their_numbers_and_hashes_across_a_restart()
    {
        var wallet = _host.NewWallet(1400);
        var first = await SendAsync(wallet);
        await WaitForHeadAsync(first + 3);
        ulong last = 0;
        for (var i = 0; i < 8; i++)
        {
            last = await SendAsync(wallet); // a full history chunk, which takes the empty blocks before it
        }

        await _host.WaitIndexedAsync(8); // the first chunk: records 0 to 7 and the empty blocks among them
        await WaitForHeadAsync(last + 2); // empty blocks after the last transaction too
        var head = await HeadAsync();
        var before = new List<JsonElement>();
        for (var n = 1UL; n <= head; n++)
        {
            before.Add(await BlockAsync(n));
        }

        // Between the first transaction and the next ones, the blocks are empty, one second apart, and chained.
        var empty = before[(int)first]; // block first + 1
        Assert.Equal(0, empty.GetProperty("transactions").GetArrayLength());
        Assert.Equal(Quantity(before[(int)first - 1], "timestamp") + 1, Quantity(empty, "timestamp"));
        Assert.Equal(before[(int)first - 1].GetProperty("hash").GetString(), empty.GetProperty("parentHash").GetString());

        await _host.RestartAsync();

        foreach (var block in before)
        {
            var again = await BlockAsync(Quantity(block, "number"));
            Assert.Equal(block.GetProperty("hash").GetString(), again.GetProperty("hash").GetString());
            Assert.Equal(block.GetProperty("transactions").GetArrayLength(), again.GetProperty("transactions").GetArrayLength());
        }

        // The next transaction comes after every block seen before the restart.
        Assert.True(await SendAsync(wallet) > head);
    }

    private async Task<ulong> SendAsync(TestInfrastructure.Ethereum.TestWallet wallet)
    {
        var confirmation = await _host.Rpc.ResultAsync("sequencer_sendRawTransaction", wallet.Sign1559(wallet.TakeNonce()));
        return Quantity(confirmation, "blockNumber");
    }

    private async Task<ulong> HeadAsync() => Parse((await _host.Rpc.ResultAsync("eth_blockNumber")).GetString()!);

    private Task WaitForHeadAsync(ulong number) =>
        Eventually.UntilAsync(async () => await HeadAsync() >= number, Bound, $"the head never reached block {number}");

    private async Task<JsonElement> BlockAsync(ulong number) =>
        (await _host.Rpc.ResultAsync("eth_getBlockByNumber", "0x" + number.ToString("x", CultureInfo.InvariantCulture), false)).Clone();

    private static ulong Quantity(JsonElement element, string name) => Parse(element.GetProperty(name).GetString()!);

    private static ulong Parse(string hex) => ulong.Parse(hex.AsSpan(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
}
