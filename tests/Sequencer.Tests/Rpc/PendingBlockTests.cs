using Sequencer.Tests.Infrastructure;

namespace Sequencer.Tests.Rpc;

/// <summary>The pending block (issue 14 item 2): the open block, with the number it will have and no hash, as geth.</summary>
public sealed class PendingBlockTests(PendingBlockTests.OpenBlockHost host) : IClassFixture<PendingBlockTests.OpenBlockHost>
{
    [Fact]
    public async Task The_pending_block_has_the_number_it_will_have_no_hash_and_the_confirmed_transactions()
    {
        var confirmation = await host.Rpc.ResultAsync("sequencer_sendRawTransaction", host.NewWallet(14_601).Sign1559(0, value: 3));

        var pending = await host.Rpc.ResultAsync("eth_getBlockByNumber", "pending", false);
        var latest = await host.Rpc.ResultAsync("eth_blockNumber");

        Assert.Equal(confirmation.GetProperty("blockNumber").GetString(), pending.GetProperty("number").GetString());
        Assert.Equal(Convert.ToUInt64(latest.GetString(), 16) + 1, Convert.ToUInt64(pending.GetProperty("number").GetString(), 16));
        Assert.Equal(System.Text.Json.JsonValueKind.Null, pending.GetProperty("hash").ValueKind);
        Assert.Contains(confirmation.GetProperty("txHash").GetString(), pending.GetProperty("transactions").EnumerateArray().Select(t => t.GetString()));
    }

    /// <summary>Blocks sealed by gas only within the test's time, so the transaction's block stays open.</summary>
    public sealed class OpenBlockHost : SequencerHostFixture
    {
        protected override IEnumerable<string> Settings => ["--Sequencer:BlockTimeMs=60000"];
    }
}
