using System.Numerics;
using System.Text.Json;
using Nethereum.Web3;
using Nethereum.Web3.Accounts;
using TestInfrastructure.Anvil;
using TestInfrastructure.Ethereum;
using TestInfrastructure.Processes;
using TestInfrastructure.Sequencer;

namespace Acceptance.Clients;

/// <summary>
/// Unmodified viem, ethers v6, cast and Nethereum against the sequencer process with anvil as its execution node
/// (issue 14): transfers with no fees or gas given and their receipts, the receipt's block by hash, a contract
/// deployed and called, its events by eth_getLogs, by an ethers listener (filters) and by viem over WebSocket.
/// </summary>
[Collection(SequencerWithAnvilFixture.Collection)]
public sealed class ClientsWithExecutionTests(SequencerWithAnvilFixture fixture)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);

    private string RpcUrl => fixture.Sequencer.RpcUrl.ToString();

    [Fact]
    public async Task Viem_and_ethers_transfer_look_up_the_receipts_block_deploy_call_and_hear_events()
    {
        var output = await CastTool.NodeScriptAsync(Timeout, "clients-with-execution.mjs",
            RpcUrl, SequencerProcess.ChainId.ToString(), AnvilNode.DevKey2, AnvilNode.DevKey3,
            Path.Combine(ToolPaths.RepoRoot, "tests", "Sequencer.Tests", "Execution", "TestToken.sol"));

        using var result = JsonDocument.Parse(output.Split('\n').First(line => line.StartsWith('{')));
        var r = result.RootElement;
        Assert.Equal("success", r.GetProperty("viemTransferStatus").GetString());
        Assert.Equal(r.GetProperty("viemReceiptBlockHash").GetString(), r.GetProperty("viemBlockHash").GetString());
        Assert.True(r.GetProperty("viemBlockHasTransfer").GetBoolean());
        Assert.Equal("success", r.GetProperty("viemDeployStatus").GetString());
        Assert.Equal("success", r.GetProperty("viemCallStatus").GetString());
        Assert.Equal(TestWallet.DeadAddress, r.GetProperty("viemWatchedTo").GetString(), ignoreCase: true);
        Assert.Equal("123", r.GetProperty("viemWatchedValue").GetString());
        Assert.Equal(r.GetProperty("viemCallTx").GetString(), r.GetProperty("viemWatchedTx").GetString());
        Assert.Equal(2, r.GetProperty("viemLogCount").GetInt32()); // the mint in the constructor and the transfer
        Assert.Equal("123", r.GetProperty("viemDeadBalance").GetString());

        Assert.Equal(1, r.GetProperty("ethersStatus").GetInt32());
        Assert.Equal(r.GetProperty("ethersReceiptBlockHash").GetString(), r.GetProperty("ethersBlockHash").GetString());
        Assert.Equal(r.GetProperty("ethersReceiptBlockNumber").GetInt64(), r.GetProperty("ethersBlockNumber").GetInt64());
        Assert.Equal(1, r.GetProperty("ethersCallStatus").GetInt32());
        Assert.Equal(TestWallet.DeadAddress, r.GetProperty("ethersHeardTo").GetString(), ignoreCase: true);
        Assert.Equal("456", r.GetProperty("ethersHeardValue").GetString());
        Assert.Equal(1, r.GetProperty("ethersLogCount").GetInt32());
        Assert.Equal("456", r.GetProperty("ethersDeadBalance").GetString());
    }

    [Fact]
    public async Task Viem_and_ethers_wait_for_three_confirmations_on_an_idle_chain_with_anvil_and_find_the_receipts_block()
    {
        // After each transfer nothing else is sent: the confirmations come from empty blocks, which anvil mines too.
        var output = await CastTool.NodeScriptAsync(TimeSpan.FromSeconds(200), "clients-confirmations.mjs",
            RpcUrl, SequencerProcess.ChainId.ToString(), AnvilNode.DevKey1, AnvilNode.DevKey0);

        IdleChainConfirmationTests.AssertConfirmed(output);
    }

    [Fact]
    public async Task Cast_send_without_async_and_cast_receipt_name_a_block_that_cast_finds_by_hash()
    {
        var sent = await CastTool.RunAsync(Timeout, "send", "--rpc-url", RpcUrl, "--private-key", AnvilNode.DevKey4, TestWallet.DeadAddress, "--value", "4242", "--json");
        var receipt = JsonDocument.Parse(sent).RootElement;
        Assert.Equal("0x1", receipt.GetProperty("status").GetString());
        var hash = receipt.GetProperty("transactionHash").GetString()!;

        var blockHash = await CastTool.RunAsync(Timeout, "receipt", hash, "blockHash", "--rpc-url", RpcUrl);
        Assert.Equal(receipt.GetProperty("blockHash").GetString(), blockHash);
        var block = JsonDocument.Parse(await CastTool.RunAsync(Timeout, "block", blockHash, "--json", "--rpc-url", RpcUrl)).RootElement;
        Assert.Equal(blockHash, block.GetProperty("hash").GetString());
        Assert.Contains(hash, block.GetProperty("transactions").EnumerateArray().Select(t => t.GetString()));
    }

    [Fact]
    public async Task Nethereum_transfer_service_gets_a_successful_receipt_whose_block_it_finds_by_hash()
    {
        var web3 = new Web3(new Account(AnvilNode.DevKey0, (BigInteger)SequencerProcess.ChainId), RpcUrl);
        web3.TransactionManager.TransactionReceiptService.SetPollingRetryIntervalInMilliseconds(100);

        var receipt = await web3.Eth.GetEtherTransferService().TransferEtherAndWaitForReceiptAsync(TestWallet.DeadAddress, 0.000001m);

        Assert.Equal(1, (int)receipt.Status.Value);
        var block = await web3.Eth.Blocks.GetBlockWithTransactionsHashesByHash.SendRequestAsync(receipt.BlockHash);
        Assert.Equal(receipt.BlockHash, block.BlockHash);
        Assert.Contains(receipt.TransactionHash, block.TransactionHashes);
        Assert.Equal(21_000, (long)receipt.GasUsed.Value);
    }
}
