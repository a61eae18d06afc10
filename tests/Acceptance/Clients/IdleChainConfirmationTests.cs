using System.Text.Json;
using TestInfrastructure.Ethereum;
using TestInfrastructure.Sequencer;

namespace Acceptance.Clients;

/// <summary>
/// Waiting for confirmations ends on an idle chain (issue 14, "Liveness of the head"): after a transfer nothing else
/// is sent, so only empty blocks can give it its confirmations. Without them ethers' <c>wait(3)</c> and viem's
/// <c>waitForTransactionReceipt({ confirmations: 3 })</c> wait forever.
/// </summary>
[Collection(SequencerProcessFixture.Collection)]
public sealed class IdleChainConfirmationTests(SequencerProcessFixture fixture)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(200);

    [Fact]
    public async Task Viem_and_ethers_wait_for_three_confirmations_on_an_idle_chain_without_a_node_and_find_the_receipts_block()
    {
        var viem = TestWallet.FromSeed(14_031, SequencerProcess.ChainId);
        var ethers = TestWallet.FromSeed(14_032, SequencerProcess.ChainId);

        var output = await CastTool.NodeScriptAsync(Timeout, "clients-confirmations.mjs",
            fixture.Sequencer.RpcUrl.ToString(), SequencerProcess.ChainId.ToString(), Key(viem), Key(ethers));

        AssertConfirmed(output);
    }

    private static string Key(TestWallet wallet) => wallet.PrivateKeyHex.StartsWith("0x", StringComparison.Ordinal) ? wallet.PrivateKeyHex : "0x" + wallet.PrivateKeyHex;

    /// <summary>What clients-confirmations.mjs printed: both transfers confirmed 3 times, and each receipt's block found by hash.</summary>
    internal static void AssertConfirmed(string output)
    {
        using var result = JsonDocument.Parse(output.Split('\n').First(line => line.StartsWith('{')));
        var r = result.RootElement;
        Assert.Equal(r.GetProperty("viemHash").GetString(), r.GetProperty("viemReceiptHash").GetString());
        Assert.True(ulong.Parse(r.GetProperty("viemHead").GetString()!) >= ulong.Parse(r.GetProperty("viemReceiptBlock").GetString()!) + 2);
        Assert.Equal(r.GetProperty("viemReceiptBlockHash").GetString(), r.GetProperty("viemBlockHash").GetString());
        Assert.True(r.GetProperty("viemBlockHasTransfer").GetBoolean());
        Assert.Equal(r.GetProperty("ethersHash").GetString(), r.GetProperty("ethersReceiptHash").GetString());
        Assert.True(r.GetProperty("ethersConfirmations").GetInt32() >= 3);
        Assert.Equal(r.GetProperty("ethersReceiptBlockHash").GetString(), r.GetProperty("ethersBlockHash").GetString());
        Assert.True(r.GetProperty("ethersBlockHasTransfer").GetBoolean());
    }
}
