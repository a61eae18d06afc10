using System.Numerics;
using System.Text.Json;
using TestInfrastructure.Anvil;
using TestInfrastructure.Ethereum;
using TestInfrastructure.Processes;

namespace Sequencer.Tests.Execution;

/// <summary>The sequencer with a real anvil executing its blocks: clients see receipts and state through our endpoint.</summary>
public sealed class AnvilExecutionTests(ExecutionStack stack) : IClassFixture<ExecutionStack>
{
    private RpcTestClient Rpc => stack.Host.Rpc;

    [Fact]
    public async Task Cast_send_gets_its_receipt_from_the_sequencer_endpoint()
    {
        var (exit, output) = await ToolRun.RunAsync(ToolPaths.Cast,
        [
            "send", "--rpc-url", stack.Host.RpcUrl.ToString(), "--private-key", AnvilNode.DevKey0,
            TestWallet.DeadAddress, "--value", "12345", "--timeout", "60",
        ], TimeSpan.FromSeconds(90));

        Assert.True(exit == 0, output);
        Assert.Contains("status", output);
        Assert.Matches(@"status\s+1", output);
        var hash = System.Text.RegularExpressions.Regex.Match(output, @"transactionHash\s+(0x[0-9a-f]{64})").Groups[1].Value;
        var receipt = await Rpc.ResultAsync("eth_getTransactionReceipt", hash);
        Assert.Equal("0x1", receipt.GetProperty("status").GetString());
        var tx = await Rpc.ResultAsync("eth_getTransactionByHash", hash);
        Assert.Equal(tx.GetProperty("blockNumber").GetString(), receipt.GetProperty("blockNumber").GetString());
    }

    [Fact]
    public async Task A_viem_script_sends_deploys_an_erc20_waits_for_receipts_and_reads_the_contract()
    {
        var directory = Directory.CreateTempSubdirectory("viem-").FullName;
        var (abiFile, binFile) = await TestTokenContract.WriteFilesAsync(directory);
        var script = Path.Combine(ToolPaths.RepoRoot, "tools", "scripts", "viem-erc20.mjs");

        var (exit, output) = await ToolRun.RunAsync(ToolPaths.Node,
            [script, stack.Host.RpcUrl.ToString(), SequencerHostFixtureChainId.ToString(), AnvilKeys.Key2, abiFile, binFile],
            TimeSpan.FromSeconds(90));

        Assert.True(exit == 0, output);
        var line = output.Split('\n').First(l => l.StartsWith('{'));
        using var result = JsonDocument.Parse(line);
        Assert.Equal("success", result.RootElement.GetProperty("transferStatus").GetString());
        Assert.Equal("success", result.RootElement.GetProperty("deployStatus").GetString());
        Assert.Equal("success", result.RootElement.GetProperty("tokenTransferStatus").GetString());
        Assert.Equal(1, result.RootElement.GetProperty("tokenTransferLogs").GetInt32());
        Assert.Equal("123", result.RootElement.GetProperty("deadBalance").GetString());
        Assert.Equal("TT", result.RootElement.GetProperty("symbol").GetString());
        Directory.Delete(directory, recursive: true);
    }

    [Fact]
    public async Task Receipts_and_logs_of_contract_calls_follow_the_soft_confirmation_order()
    {
        var wallet = new TestWallet(AnvilNode.DevKey1, stack.Host.NewWallet(0).ChainId);
        var deploy = await Rpc.ResultAsync("sequencer_sendRawTransaction",
            wallet.Sign1559(wallet.TakeNonce(), to: null!, value: 0, gas: 1_500_000, data: await TestTokenContract.DeploymentDataAsync(1_000_000)));
        var deployHash = deploy.GetProperty("txHash").GetString()!;
        await stack.WaitUntilExecutedAsync(Quantity(deploy.GetProperty("blockNumber")));
        var deployReceipt = await Rpc.ResultAsync("eth_getTransactionReceipt", deployHash);
        Assert.Equal("0x1", deployReceipt.GetProperty("status").GetString());
        var token = deployReceipt.GetProperty("contractAddress").GetString()!;

        // Twelve transfers sent at once (within the per-sender nonce hold): several share a block; amounts 1..12 tag them.
        var raws = Enumerable.Range(1, 12)
            .Select(amount => (Amount: (long)amount, Raw: wallet.Sign1559(wallet.TakeNonce(), to: token, value: 0, gas: 100_000,
                data: TestTokenContract.TransferData(TestWallet.DeadAddress, amount))))
            .ToArray();
        var amountByHash = raws.ToDictionary(r => "0x" + Nethereum.Util.Sha3Keccack.Current.CalculateHashFromHex(r.Raw[2..]), r => r.Amount);
        var confirmations = (await Task.WhenAll(raws.Select(r => Rpc.ResultAsync("sequencer_sendRawTransaction", r.Raw))))
            .OrderBy(c => Quantity(c.GetProperty("sequence")))
            .ToArray();
        await stack.WaitUntilExecutedAsync(Quantity(confirmations[^1].GetProperty("blockNumber")));

        foreach (var confirmation in confirmations)
        {
            var receipt = await Rpc.ResultAsync("eth_getTransactionReceipt", confirmation.GetProperty("txHash").GetString());
            Assert.Equal("0x1", receipt.GetProperty("status").GetString());
            Assert.Equal(Quantity(confirmation.GetProperty("blockNumber")), Quantity(receipt.GetProperty("blockNumber")));
            Assert.Equal(Quantity(confirmation.GetProperty("index")), Quantity(receipt.GetProperty("transactionIndex")));
        }

        var logs = await Rpc.ResultAsync("eth_getLogs", new Dictionary<string, object>
        {
            ["address"] = token,
            ["fromBlock"] = "0x0",
            ["toBlock"] = "latest",
            ["topics"] = new[] { TestTokenContract.TransferTopic },
        });
        var loggedAmounts = logs.EnumerateArray()
            .Select(log => (long)BigInteger.Parse("0" + log.GetProperty("data").GetString()![2..], System.Globalization.NumberStyles.HexNumber))
            .ToArray();
        var loggedHashes = logs.EnumerateArray().Skip(1).Select(log => log.GetProperty("transactionHash").GetString()).ToArray();

        // The mint, then one Transfer per call in the order the sequencer confirmed them.
        Assert.Equal(1_000_000, loggedAmounts[0]);
        Assert.Equal(confirmations.Select(c => amountByHash[c.GetProperty("txHash").GetString()!]), loggedAmounts.Skip(1));
        Assert.Equal(confirmations.Select(c => c.GetProperty("txHash").GetString()), loggedHashes);
        var balance = await Rpc.ResultAsync("eth_call", new Dictionary<string, object> { ["to"] = token, ["data"] = TestTokenContract.BalanceOfData(TestWallet.DeadAddress) }, "latest");
        Assert.Equal(78, (long)BigInteger.Parse("0" + balance.GetString()![2..], System.Globalization.NumberStyles.HexNumber));
    }

    [Fact]
    public async Task A_paid_tx_whose_sender_cannot_pay_is_refused_and_changes_nothing()
    {
        var broke = stack.Host.NewWallet(9101);
        var response = await Rpc.CallAsync("eth_sendRawTransaction", broke.Sign1559(0, value: 5));

        Assert.Equal(-32000, response.ErrorCode);
        Assert.Matches(@"^insufficient funds for gas \* price \+ value: have 0 want \d+$", response.ErrorMessage);
        Assert.Equal("0x0", (await Rpc.ResultAsync("eth_getTransactionCount", broke.Address, "pending")).GetString());
    }

    [Fact]
    public async Task The_funds_check_counts_what_unexecuted_transactions_will_spend()
    {
        var funder = new TestWallet(AnvilKeys.Key3, SequencerHostFixtureChainId);
        var spender = stack.Host.NewWallet(9102);
        var funded = BigInteger.Parse("1000000000000000000");
        await Rpc.ResultAsync("eth_sendRawTransactionSync", funder.Sign1559(0, to: spender.Address, value: funded));

        // Each costs half the balance plus gas: the first fits, the second cannot while the first is counted.
        var half = funded / 2;
        var first = await Rpc.CallAsync("eth_sendRawTransaction", spender.Sign1559(0, value: half));
        var second = await Rpc.CallAsync("eth_sendRawTransaction", spender.Sign1559(1, value: half));

        Assert.Null(first.Error);
        Assert.Equal(-32000, second.ErrorCode);
        Assert.StartsWith("insufficient funds for gas * price + value", second.ErrorMessage);
    }

    [Fact]
    public async Task Send_raw_transaction_sync_returns_the_executed_receipt()
    {
        var wallet = new TestWallet(AnvilKeys.Key5, SequencerHostFixtureChainId);
        var raw = wallet.Sign1559(0, value: 7);

        var receipt = await Rpc.ResultAsync("eth_sendRawTransactionSync", raw, 5000);

        Assert.Equal("0x1", receipt.GetProperty("status").GetString());
        Assert.Equal(Nethereum.Util.Sha3Keccack.Current.CalculateHashFromHex(raw[2..]), receipt.GetProperty("transactionHash").GetString()![2..]);
        var tx = await Rpc.ResultAsync("eth_getTransactionByHash", receipt.GetProperty("transactionHash").GetString());
        Assert.Equal(tx.GetProperty("blockNumber").GetString(), receipt.GetProperty("blockNumber").GetString());
    }

    [Fact]
    public async Task A_transaction_that_fails_on_execution_is_confirmed_with_receipt_status_0_and_execution_goes_on()
    {
        var wallet = new TestWallet(AnvilKeys.Key6, SequencerHostFixtureChainId);
        // Init code PUSH1 0 PUSH1 0 REVERT: the creation reverts.
        var reverting = await Rpc.ResultAsync("eth_sendRawTransactionSync", wallet.Sign1559(0, to: null!, value: 0, gas: 100_000, data: "0x60006000fd"));
        var next = await Rpc.ResultAsync("eth_sendRawTransactionSync", wallet.Sign1559(1, value: 1));

        Assert.Equal("0x0", reverting.GetProperty("status").GetString());
        Assert.Empty(reverting.GetProperty("logs").EnumerateArray());
        Assert.Equal("0x1", next.GetProperty("status").GetString());
        Assert.Null(stack.Follower.Failure);
    }

    [Fact]
    public async Task Reads_are_proxied_and_node_errors_pass_through()
    {
        var balance = await Rpc.ResultAsync("eth_getBalance", "0x70997970C51812dc3A010C7d01b50e0d17dc79C8", "latest");
        Assert.StartsWith("0x", balance.GetString());
        Assert.True(BigInteger.Parse("0" + balance.GetString()![2..], System.Globalization.NumberStyles.HexNumber) > 0);
        Assert.StartsWith("0x", (await Rpc.ResultAsync("eth_gasPrice")).GetString());
        Assert.Equal(JsonValueKind.Array, (await Rpc.ResultAsync("eth_feeHistory", "0x1", "latest", Array.Empty<int>())).GetProperty("baseFeePerGas").ValueKind);
        Assert.Equal("0x", (await Rpc.ResultAsync("eth_getCode", TestWallet.DeadAddress, "latest")).GetString());
        Assert.Equal(JsonValueKind.Null, (await Rpc.ResultAsync("eth_getTransactionReceipt", "0x" + new string('1', 64))).ValueKind);

        // Creation code that reverts with 0xdeadbeef: the node's error and revert data reach the client as they are.
        var reverted = await Rpc.CallAsync("eth_call", new Dictionary<string, object> { ["data"] = "0x63deadbeef6000526004601cfd" }, "latest");
        Assert.Equal(3, reverted.ErrorCode);
        Assert.Contains("revert", reverted.ErrorMessage);
        Assert.Equal("0xdeadbeef", reverted.Error!.Value.GetProperty("data").GetString());

        var badParams = await Rpc.CallAsync("eth_getBalance", "not-an-address", "latest");
        Assert.NotEqual(0, badParams.ErrorCode);
        Assert.NotEqual(-32603, badParams.ErrorCode);
    }

    private const ulong SequencerHostFixtureChainId = Infrastructure.SequencerHostFixture.ChainId;

    private static ulong Quantity(JsonElement value) => Convert.ToUInt64(value.GetString(), 16);
}
