using System.Numerics;
using System.Text.Json;
using Nethereum.RPC.Eth.DTOs;
using Nethereum.Web3;
using Nethereum.Web3.Accounts;
using TestInfrastructure.Anvil;
using TestInfrastructure.Ethereum;
using TestInfrastructure.Sequencer;

namespace Acceptance.Clients;

/// <summary>
/// Unmodified cast and Nethereum against the sequencer with anvil as its execution node (issue 14): a contract
/// deployed with no gas given, called, a token transfer sent, its events read with eth_getLogs, and a transfer waited
/// for three confirmations on an otherwise idle chain.
/// </summary>
[Collection(SequencerWithAnvilFixture.Collection)]
public sealed class CastAndNethereumContractTests(SequencerWithAnvilFixture fixture)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);

    private string RpcUrl => fixture.Sequencer.RpcUrl.ToString();

    [Fact]
    public async Task Cast_deploys_calls_transfers_reads_the_logs_and_waits_for_three_confirmations()
    {
        var (_, bytecode) = await CompiledToken.GetAsync();
        string[] rpc = ["--rpc-url", RpcUrl];
        string[] signer = [.. rpc, "--private-key", AnvilNode.DevKey4];
        var owner = await CastTool.RunAsync(Timeout, "wallet", "address", "--private-key", AnvilNode.DevKey4);

        var deployed = Json(await CastTool.RunAsync(Timeout, ["send", .. signer, "--json", "--create", bytecode, "constructor(uint256)", "1000000"]));
        Assert.Equal("0x1", deployed.GetProperty("status").GetString());
        var token = deployed.GetProperty("contractAddress").GetString()!;
        Assert.Equal("1000000", Number(await CastTool.RunAsync(Timeout, ["call", .. rpc, token, "balanceOf(address)(uint256)", owner])));

        var moved = Json(await CastTool.RunAsync(Timeout, ["send", .. signer, "--json", token, "transfer(address,uint256)", TestWallet.DeadAddress, "77"]));
        Assert.Equal("0x1", moved.GetProperty("status").GetString());
        Assert.Equal("77", Number(await CastTool.RunAsync(Timeout, ["call", .. rpc, token, "balanceOf(address)(uint256)", TestWallet.DeadAddress])));
        var logs = JsonDocument.Parse(await CastTool.RunAsync(Timeout, ["logs", .. rpc, "--json", "--address", token,
            "--from-block", deployed.GetProperty("blockNumber").GetString()!, "Transfer(address,address,uint256)"])).RootElement;
        Assert.Equal(2, logs.GetArrayLength()); // the mint in the constructor and the transfer
        Assert.Equal(moved.GetProperty("transactionHash").GetString(), logs[1].GetProperty("transactionHash").GetString());
        Assert.Equal(moved.GetProperty("blockHash").GetString(), logs[1].GetProperty("blockHash").GetString());
        Assert.EndsWith(TestWallet.DeadAddress[2..], logs[1].GetProperty("topics")[2].GetString()!, StringComparison.OrdinalIgnoreCase);

        var sent = Json(await CastTool.RunAsync(Timeout, ["send", .. signer, "--confirmations", "3", "--json", TestWallet.DeadAddress, "--value", "4545"]));
        Assert.Equal("0x1", sent.GetProperty("status").GetString());
        var block = Convert.ToUInt64(sent.GetProperty("blockNumber").GetString(), 16);
        Assert.True(await CastConfirmations.WaitAsync(RpcUrl, block, 3, Timeout) >= block + 2);
        Assert.Equal(sent.GetProperty("blockHash").GetString(), await CastTool.RunAsync(Timeout, ["receipt", .. rpc, sent.GetProperty("transactionHash").GetString()!, "blockHash"]));
    }

    [Fact]
    public async Task Nethereum_deploys_calls_transfers_reads_the_events_and_waits_for_three_confirmations()
    {
        var account = new Account(AnvilNode.DevKey0, (BigInteger)SequencerProcess.ChainId);
        var web3 = new Web3(account, RpcUrl);
        web3.TransactionManager.TransactionReceiptService.SetPollingRetryIntervalInMilliseconds(100);
        var (_, bytecode) = await CompiledToken.GetAsync();

        var deployed = await web3.Eth.GetContractDeploymentHandler<TokenDeployment>().SendRequestAndWaitForReceiptAsync(new TokenDeployment(bytecode) { Supply = 2_000_000 });
        Assert.Equal(1, (int)deployed.Status.Value);
        var token = deployed.ContractAddress;
        var balanceOf = web3.Eth.GetContractQueryHandler<BalanceOfFunction>();
        Assert.Equal(2_000_000, await balanceOf.QueryAsync<BigInteger>(token, new BalanceOfFunction { Owner = account.Address }));

        var moved = await web3.Eth.GetContractTransactionHandler<TransferFunction>().SendRequestAndWaitForReceiptAsync(token, new TransferFunction { To = TestWallet.DeadAddress, Value = 88 });
        Assert.Equal(1, (int)moved.Status.Value);
        Assert.Equal(88, await balanceOf.QueryAsync<BigInteger>(token, new BalanceOfFunction { Owner = TestWallet.DeadAddress }));
        var transfers = web3.Eth.GetEvent<TransferEvent>(token);
        var events = await transfers.GetAllChangesAsync(transfers.CreateFilterInput(new BlockParameter(deployed.BlockNumber), BlockParameter.CreateLatest()));
        Assert.Equal(2, events.Count); // the mint in the constructor and the transfer
        Assert.Equal(TestWallet.DeadAddress, events[1].Event.To, ignoreCase: true);
        Assert.Equal(88, events[1].Event.Value);
        Assert.Equal(moved.TransactionHash, events[1].Log.TransactionHash);

        var sent = await web3.Eth.GetEtherTransferService().TransferEtherAndWaitForReceiptAsync(TestWallet.DeadAddress, 0.000003m);
        await NethereumConfirmations.WaitAsync(web3, sent, 3, Timeout);
        var block = await web3.Eth.Blocks.GetBlockWithTransactionsHashesByHash.SendRequestAsync(sent.BlockHash);
        Assert.Contains(sent.TransactionHash, block.TransactionHashes);
    }

    /// <summary>cast prints a decoded uint256 as "1000000 [1e6]": the number before the bracket.</summary>
    private static string Number(string output) => output.Split(' ')[0];

    private static JsonElement Json(string output) => JsonDocument.Parse(output.Split('\n').First(line => line.StartsWith('{'))).RootElement.Clone();
}
