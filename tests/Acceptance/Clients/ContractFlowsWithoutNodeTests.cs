using System.Numerics;
using System.Text.Json;
using Nethereum.Contracts;
using Nethereum.RPC.Eth.DTOs;
using Nethereum.Util;
using Nethereum.Web3;
using Nethereum.Web3.Accounts;
using TestInfrastructure.Ethereum;
using TestInfrastructure.Sequencer;

namespace Acceptance.Clients;

/// <summary>
/// Contract flows of unmodified viem, ethers v6, cast and Nethereum against the sequencer with no execution node
/// (issue 14). Without a node nothing executes, so this is what "works" means here: a deployment whose gas the client
/// must estimate shows the eth_estimateGas error that says what to configure; with a gas limit the deployment is
/// ordered and its inclusion receipt names the contract's (CREATE) address; a call, eth_getLogs, a log listener and a
/// log subscription each show the sequencer's specific error (docs/rpc.md), never a bare failure.
/// </summary>
[Collection(SequencerProcessFixture.Collection)]
public sealed class ContractFlowsWithoutNodeTests(SequencerProcessFixture fixture)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);

    private string RpcUrl => fixture.Sequencer.RpcUrl.ToString();

    [Fact]
    public async Task Viem_and_ethers_order_a_deployment_with_a_gas_limit_and_show_the_specific_error_for_each_flow_that_executes()
    {
        var viem = TestWallet.FromSeed(14_041, SequencerProcess.ChainId);
        var ethers = TestWallet.FromSeed(14_042, SequencerProcess.ChainId);

        var output = await CastTool.NodeScriptAsync(Timeout, "clients-without-execution.mjs",
            RpcUrl, SequencerProcess.ChainId.ToString(), Key(viem), Key(ethers), CompiledToken.SourcePath);

        using var result = JsonDocument.Parse(output.Split('\n').First(line => line.StartsWith('{')));
        var r = result.RootElement;
        AssertViemShows(r.GetProperty("viemEstimate"), "InvalidInputRpcError", -32000, NodelessErrors.Estimate);
        Assert.Equal(JsonValueKind.Null, r.GetProperty("viemDeployStatus").ValueKind); // ordered, outcome not stated
        Assert.Equal(ContractAddress(viem.Address, 0), r.GetProperty("viemContractAddress").GetString(), ignoreCase: true);
        AssertViemShows(r.GetProperty("viemCall"), "MethodNotFoundRpcError", -32601, NodelessErrors.Call);
        AssertViemShows(r.GetProperty("viemLogs"), "MethodNotFoundRpcError", -32601, NodelessErrors.Logs);
        // watchContractEvent hands onError the subscription's JSON-RPC error as it came: code and message.
        AssertViemShows(r.GetProperty("viemWatch"), null, -32000, NodelessErrors.LogSubscription);

        // ethers wraps every eth_estimateGas / eth_call failure as CALL_EXCEPTION and keeps the server's message in info.error.
        AssertEthersShows(r.GetProperty("ethersEstimate"), "CALL_EXCEPTION", NodelessErrors.Estimate);
        Assert.Equal(JsonValueKind.Null, r.GetProperty("ethersDeployStatus").ValueKind);
        Assert.Equal(ContractAddress(ethers.Address, 0), r.GetProperty("ethersContractAddress").GetString(), ignoreCase: true);
        AssertEthersShows(r.GetProperty("ethersCall"), "CALL_EXCEPTION", NodelessErrors.Call);
        AssertEthersShows(r.GetProperty("ethersLogs"), "UNSUPPORTED_OPERATION", NodelessErrors.Logs);
        Assert.Contains(NodelessErrors.LogFilter, r.GetProperty("ethersListener").GetString(), StringComparison.Ordinal);
        await AssertOrderedAsync(r.GetProperty("viemDeployHash").GetString()!);
        await AssertOrderedAsync(r.GetProperty("ethersDeployHash").GetString()!);
    }

    [Fact]
    public async Task Cast_deploys_with_a_gas_limit_waits_for_three_confirmations_and_shows_the_specific_errors()
    {
        var wallet = TestWallet.FromSeed(14_043, SequencerProcess.ChainId);
        var (_, bytecode) = await CompiledToken.GetAsync();
        string[] rpc = ["--rpc-url", RpcUrl];
        string[] signer = [.. rpc, "--private-key", Key(wallet)];

        var unestimated = await CastTool.FailureAsync(Timeout, ["send", .. signer, "--create", bytecode, "constructor(uint256)", "1000000"]);
        Assert.Contains(NodelessErrors.Estimate, unestimated, StringComparison.Ordinal);

        var deployed = Json(await CastTool.RunAsync(Timeout, ["send", .. signer, "--gas-limit", "1000000", "--json", "--create", bytecode, "constructor(uint256)", "1000000"]));
        var token = deployed.GetProperty("contractAddress").GetString()!;
        Assert.Equal(ContractAddress(wallet.Address, 0), token, ignoreCase: true);
        await AssertOrderedAsync(deployed.GetProperty("transactionHash").GetString()!);

        var call = await CastTool.FailureAsync(Timeout, ["call", .. rpc, token, "balanceOf(address)(uint256)", wallet.Address]);
        Assert.Contains(NodelessErrors.Call, call, StringComparison.Ordinal);
        var logs = await CastTool.FailureAsync(Timeout, ["logs", .. rpc, "--address", token, "--from-block", "0", "Transfer(address,address,uint256)"]);
        Assert.Contains(NodelessErrors.Logs, logs, StringComparison.Ordinal);

        // A transfer, waited for three confirmations on a chain that is otherwise idle (CastConfirmations), and its receipt read back.
        var sent = Json(await CastTool.RunAsync(Timeout, ["send", .. signer, "--confirmations", "3", "--json", TestWallet.DeadAddress, "--value", "4444"]));
        var hash = sent.GetProperty("transactionHash").GetString()!;
        var block = ulong.Parse(await CastTool.RunAsync(Timeout, ["receipt", .. rpc, hash, "blockNumber"]));
        Assert.True(await CastConfirmations.WaitAsync(RpcUrl, block, 3, Timeout) >= block + 2);
        var blockHash = await CastTool.RunAsync(Timeout, ["receipt", .. rpc, hash, "blockHash"]);
        Assert.Equal(sent.GetProperty("blockHash").GetString(), blockHash);
        var byHash = Json(await CastTool.RunAsync(Timeout, ["block", .. rpc, blockHash, "--json"]));
        Assert.Contains(hash, byHash.GetProperty("transactions").EnumerateArray().Select(t => t.GetString()));
    }

    [Fact]
    public async Task Nethereum_deploys_with_a_gas_limit_waits_for_three_confirmations_and_shows_the_specific_errors()
    {
        var wallet = TestWallet.FromSeed(14_044, SequencerProcess.ChainId);
        var web3 = new Web3(new Account(wallet.PrivateKeyHex, (BigInteger)SequencerProcess.ChainId), RpcUrl);
        web3.TransactionManager.TransactionReceiptService.SetPollingRetryIntervalInMilliseconds(100);
        var (_, bytecode) = await CompiledToken.GetAsync();
        var deployer = web3.Eth.GetContractDeploymentHandler<TokenDeployment>();

        var unestimated = await Assert.ThrowsAnyAsync<Exception>(() => deployer.SendRequestAndWaitForReceiptAsync(new TokenDeployment(bytecode) { Supply = 1_000_000 }));
        AssertMentions(unestimated, NodelessErrors.Estimate);

        // With a gas limit the deployment is ordered; its receipt, polled the Nethereum way, names the contract.
        var hash = await deployer.SendRequestAsync(new TokenDeployment(bytecode) { Supply = 1_000_000, Gas = 1_000_000 });
        var deployed = await web3.TransactionManager.TransactionReceiptService.PollForReceiptAsync(hash);
        Assert.Equal(ContractAddress(wallet.Address, 0), deployed.ContractAddress, ignoreCase: true);
        Assert.Null(deployed.Status); // ordered, outcome not stated
        await AssertOrderedAsync(deployed.TransactionHash);
        // Nethereum's deploy-and-wait then checks the code with eth_getCode, which cannot be answered without a node.
        var codeCheck = await Assert.ThrowsAnyAsync<Exception>(() => deployer.SendRequestAndWaitForReceiptAsync(new TokenDeployment(bytecode) { Supply = 1, Gas = 1_000_000 }));
        AssertMentions(codeCheck, NodelessErrors.Code);

        var call = await Assert.ThrowsAnyAsync<Exception>(() =>
            web3.Eth.GetContractQueryHandler<BalanceOfFunction>().QueryAsync<BigInteger>(deployed.ContractAddress, new BalanceOfFunction { Owner = wallet.Address }));
        AssertMentions(call, NodelessErrors.Call);
        var transfers = web3.Eth.GetEvent<TransferEvent>(deployed.ContractAddress);
        var logs = await Assert.ThrowsAnyAsync<Exception>(() => transfers.GetAllChangesAsync(transfers.CreateFilterInput(BlockParameter.CreateEarliest(), BlockParameter.CreateLatest())));
        AssertMentions(logs, NodelessErrors.Logs);

        var sent = await web3.Eth.GetEtherTransferService().TransferEtherAndWaitForReceiptAsync(TestWallet.DeadAddress, 0.000002m);
        await NethereumConfirmations.WaitAsync(web3, sent, 3, Timeout);
        var block = await web3.Eth.Blocks.GetBlockWithTransactionsHashesByHash.SendRequestAsync(sent.BlockHash);
        Assert.Equal(sent.BlockHash, block.BlockHash);
        Assert.Contains(sent.TransactionHash, block.TransactionHashes);
    }

    private static void AssertViemShows(JsonElement shown, string? rpcError, int code, string message)
    {
        Assert.Equal(rpcError, shown.GetProperty("rpcError").GetString());
        Assert.Equal(code, shown.GetProperty("code").GetInt32());
        Assert.Contains(message, shown.GetProperty("details").GetString(), StringComparison.Ordinal);
        Assert.Contains(NodelessErrors.Setting, shown.GetProperty("details").GetString(), StringComparison.Ordinal);
    }

    private static void AssertEthersShows(JsonElement shown, string code, string message)
    {
        Assert.Equal(code, shown.GetProperty("code").GetString());
        Assert.Contains(message, shown.GetProperty("server").GetString(), StringComparison.Ordinal);
    }

    /// <summary>The message Nethereum raised carries the sequencer's reason and the setting to change.</summary>
    private static void AssertMentions(Exception error, string message)
    {
        var text = error.ToString();
        Assert.Contains(message, text, StringComparison.Ordinal);
        Assert.Contains(NodelessErrors.Setting, text, StringComparison.Ordinal);
    }

    private static string ContractAddress(string from, BigInteger nonce) => ContractUtils.CalculateContractAddress(from, nonce);

    private static JsonElement Json(string output) => JsonDocument.Parse(output.Split('\n').First(line => line.StartsWith('{'))).RootElement.Clone();

    private static string Key(TestWallet wallet) => wallet.PrivateKeyHex.StartsWith("0x", StringComparison.Ordinal) ? wallet.PrivateKeyHex : "0x" + wallet.PrivateKeyHex;

    /// <summary>The transaction is in a published block of the sequencer.</summary>
    private async Task AssertOrderedAsync(string hash)
    {
        using var rpc = new RpcTestClient(fixture.Sequencer.RpcUrl);
        var tx = await rpc.ResultAsync("eth_getTransactionByHash", hash);
        var block = await rpc.ResultAsync("eth_getBlockByHash", tx.GetProperty("blockHash").GetString()!, false);
        Assert.Contains(hash, block.GetProperty("transactions").EnumerateArray().Select(h => h.GetString()));
    }
}
