using TestInfrastructure.Ethereum;
using TestInfrastructure.Sequencer;

namespace Acceptance.Clients;

/// <summary>Foundry's `cast`, unmodified, drives the sequencer.</summary>
[Collection(SequencerProcessFixture.Collection)]
public sealed class CastClientTests(SequencerProcessFixture fixture)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private string RpcUrl => fixture.Sequencer.RpcUrl.ToString();

    [Fact]
    public async Task Cast_reads_the_chain_id()
    {
        var output = await CastTool.RunAsync(Timeout, "chain-id", "--rpc-url", RpcUrl);

        Assert.Equal(SequencerProcess.ChainId.ToString(), output);
    }

    [Fact]
    public async Task Cast_publishes_a_raw_transaction_and_reads_it_and_its_block_back()
    {
        var wallet = TestWallet.FromSeed(7001, SequencerProcess.ChainId);
        var raw = wallet.Sign1559(wallet.TakeNonce(), value: 777);

        // --async: plain `cast publish` also waits for a receipt, which needs an execution node.
        var hash = await CastTool.RunAsync(Timeout, "publish", "--async", "--rpc-url", RpcUrl, raw);
        Assert.Matches("^0x[0-9a-f]{64}$", hash);

        var tx = await WaitForBlockFieldAsync(hash);
        Assert.Contains(wallet.Address, tx, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("777", tx, StringComparison.Ordinal);

        var blockNumber = await CastTool.RunAsync(Timeout, "tx", hash, "blockNumber", "--rpc-url", RpcUrl);
        var block = await CastTool.RunAsync(Timeout, "block", blockNumber, "--json", "--rpc-url", RpcUrl);
        Assert.Contains(hash, block, StringComparison.OrdinalIgnoreCase);

        var latest = await CastTool.RunAsync(Timeout, "block", "latest", "--rpc-url", RpcUrl);
        Assert.Contains("hash", latest, StringComparison.Ordinal);
        Assert.Contains("number", latest, StringComparison.Ordinal);
    }

    private async Task<string> WaitForBlockFieldAsync(string hash)
    {
        for (var attempt = 0; ; attempt++)
        {
            var tx = await CastTool.RunAsync(Timeout, "tx", hash, "--rpc-url", RpcUrl);
            var number = await CastTool.RunAsync(Timeout, "tx", hash, "blockNumber", "--rpc-url", RpcUrl);
            if (ulong.TryParse(number, out _) || attempt > 50)
            {
                return tx;
            }

            await Task.Delay(100);
        }
    }
}
