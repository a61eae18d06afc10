using System.Numerics;
using System.Text.Json;
using Nethereum.Web3;
using Nethereum.Web3.Accounts;
using TestInfrastructure.Ethereum;
using TestInfrastructure.Sequencer;

namespace Acceptance.Clients;

/// <summary>
/// Unmodified viem, ethers v6, cast and Nethereum against the sequencer process with no execution node (issue 14):
/// a transfer with no fees or gas given goes through, and waiting for its receipt ends (the inclusion receipt).
/// </summary>
[Collection(SequencerProcessFixture.Collection)]
public sealed class ClientCompatibilityTests(SequencerProcessFixture fixture)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    private string RpcUrl => fixture.Sequencer.RpcUrl.ToString();

    [Fact]
    public async Task Viem_and_ethers_send_a_transfer_with_no_fees_or_gas_given_and_get_its_receipt()
    {
        var viem = TestWallet.FromSeed(14_001, SequencerProcess.ChainId);
        var ethers = TestWallet.FromSeed(14_002, SequencerProcess.ChainId);

        var output = await CastTool.NodeScriptAsync(Timeout, "clients-transfer.mjs",
            RpcUrl, SequencerProcess.ChainId.ToString(), Key(viem), Key(ethers));

        using var result = JsonDocument.Parse(output.Split('\n').First(line => line.StartsWith('{')));
        var root = result.RootElement;
        Assert.Equal(root.GetProperty("viemHash").GetString(), root.GetProperty("viemReceiptHash").GetString());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("viemStatus").ValueKind);
        Assert.Equal("21000", root.GetProperty("viemGas").GetString());
        Assert.Equal("1001", root.GetProperty("viemValue").GetString());
        Assert.Equal("1200000", root.GetProperty("viemMaxFeePerGas").GetString());
        Assert.Equal("FeeCapTooLowError", root.GetProperty("viemFeeError").GetString());
        // Up to 4 blocks, fewer on a young chain; at least genesis and the block of viem's transfer.
        Assert.InRange(root.GetProperty("feeHistoryBlocks").GetInt32(), 2, 4);
        Assert.Equal(root.GetProperty("ethersHash").GetString(), root.GetProperty("ethersReceiptHash").GetString());
        Assert.Equal("21000", root.GetProperty("ethersGasLimit").GetString());
        Assert.Equal("1000000", root.GetProperty("ethersGasPrice").GetString());
        await AssertSequencedAsync(root.GetProperty("viemHash").GetString()!, viem.Address, "0x3e9");
        await AssertSequencedAsync(root.GetProperty("ethersHash").GetString()!, ethers.Address, "0x3ea");
    }

    [Fact]
    public async Task Cast_send_and_cast_publish_without_async_end_with_the_receipt_and_no_error()
    {
        var wallet = TestWallet.FromSeed(14_003, SequencerProcess.ChainId);

        var sent = await CastTool.RunAsync(Timeout, "send", "--rpc-url", RpcUrl, "--private-key", Key(wallet), TestWallet.DeadAddress, "--value", "4242");
        var raw = wallet.Sign1559(1, value: 4343);
        var published = await CastTool.RunAsync(Timeout, "publish", "--rpc-url", RpcUrl, raw);

        foreach (var output in new[] { sent, published })
        {
            Assert.DoesNotContain("Error", output, StringComparison.OrdinalIgnoreCase);
            Assert.Matches("blockHash\"?\\s*:?\\s*\"?0x[0-9a-f]{64}", output);
        }

        var hash = System.Text.RegularExpressions.Regex.Match(sent, @"transactionHash\s+(0x[0-9a-f]{64})").Groups[1].Value;
        await AssertSequencedAsync(hash, wallet.Address, "0x1092");
    }

    [Fact]
    public async Task Nethereum_transfer_service_sends_ether_and_waits_for_the_receipt()
    {
        var wallet = TestWallet.FromSeed(14_004, SequencerProcess.ChainId);
        var web3 = new Web3(new Account(wallet.PrivateKeyHex, (BigInteger)SequencerProcess.ChainId), RpcUrl);
        web3.TransactionManager.TransactionReceiptService.SetPollingRetryIntervalInMilliseconds(100);

        var receipt = await web3.Eth.GetEtherTransferService().TransferEtherAndWaitForReceiptAsync(TestWallet.DeadAddress, 0.000001m);

        Assert.Matches("^0x[0-9a-f]{64}$", receipt.BlockHash);
        Assert.Equal(21_000, (long)receipt.GasUsed.Value);
        await AssertSequencedAsync(receipt.TransactionHash, wallet.Address, "0xe8d4a51000");
    }

    private static string Key(TestWallet wallet) => wallet.PrivateKeyHex.StartsWith("0x", StringComparison.Ordinal) ? wallet.PrivateKeyHex : "0x" + wallet.PrivateKeyHex;

    /// <summary>The transaction is in a published block, from the sender, with the value sent.</summary>
    private async Task AssertSequencedAsync(string hash, string from, string valueHex)
    {
        using var rpc = new RpcTestClient(fixture.Sequencer.RpcUrl);
        var tx = await rpc.ResultAsync("eth_getTransactionByHash", hash);
        Assert.Equal(from, tx.GetProperty("from").GetString(), ignoreCase: true);
        Assert.Equal(valueHex, tx.GetProperty("value").GetString());
        var block = await rpc.ResultAsync("eth_getBlockByHash", tx.GetProperty("blockHash").GetString()!, false);
        Assert.Contains(hash, block.GetProperty("transactions").EnumerateArray().Select(h => h.GetString()));
    }
}
