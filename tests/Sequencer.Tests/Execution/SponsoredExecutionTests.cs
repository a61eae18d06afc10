using System.Globalization;
using System.Numerics;
using System.Text.Json;
using Sequencer.Tests.Infrastructure;
using TestInfrastructure.Anvil;
using TestInfrastructure.Ethereum;
using TestInfrastructure.Identity;

namespace Sequencer.Tests.Execution;

/// <summary>
/// Sponsored (zero-fee, signed by the sequencer from identity accounts) and paid transactions calling one
/// contract, executed by a real anvil: receipts and logs follow the soft confirmations' order.
/// </summary>
public sealed class SponsoredExecutionTests(SponsoredExecutionStack stack) : IClassFixture<SponsoredExecutionStack>
{
    private static readonly string Alice = HeaderIdentityAuthenticator.Value("app", "alice");
    private static readonly string Bob = HeaderIdentityAuthenticator.Value("app", "bob");

    private RpcTestClient Rpc => stack.Host.Rpc;

    [Fact]
    public async Task Receipts_and_logs_of_sponsored_and_paid_contract_calls_follow_the_soft_confirmation_order()
    {
        var payer = new TestWallet(AnvilNode.DevKey1, SequencerHostFixture.ChainId);
        var deploy = await Rpc.ResultAsync("sequencer_sendRawTransaction",
            payer.Sign1559(payer.TakeNonce(), to: null!, value: 0, gas: 1_500_000, data: await TestTokenContract.DeploymentDataAsync(1_000_000)));
        await stack.WaitUntilExecutedAsync(Quantity(deploy.GetProperty("blockNumber")));
        var deployReceipt = await Rpc.ResultAsync("eth_getTransactionReceipt", deploy.GetProperty("txHash").GetString());
        Assert.Equal("0x1", deployReceipt.GetProperty("status").GetString());
        var token = deployReceipt.GetProperty("contractAddress").GetString()!;

        // The identity accounts hold no ether (they never pay) but need tokens to move: paid transfers give them some.
        var accounts = new Dictionary<string, string>();
        var funding = new List<string>();
        foreach (var identity in new[] { Alice, Bob })
        {
            var me = await TestIdentityRpc.CallAsAsync(stack.Host.RpcUrl, identity, "sequencer_getIdentity");
            Assert.Null(me.Error);
            accounts[identity] = me.Result.GetProperty("address").GetString()!.ToLowerInvariant();
            var fund = await Rpc.ResultAsync("sequencer_sendRawTransaction", payer.Sign1559(payer.TakeNonce(), to: token, value: 0, gas: 100_000,
                data: TestTokenContract.TransferData(accounts[identity], 10_000)));
            funding.Add(fund.GetProperty("txHash").GetString()!);
            await stack.WaitUntilExecutedAsync(Quantity(fund.GetProperty("blockNumber")));
        }

        // All at once: 6 paid calls (amounts 1..6), 5 sponsored calls each for alice (101..105) and bob (201..205).
        var paidRaws = Enumerable.Range(1, 6)
            .Select(amount => payer.Sign1559(payer.TakeNonce(), to: token, value: 0, gas: 100_000, data: TestTokenContract.TransferData(TestWallet.DeadAddress, amount)))
            .ToArray();
        var paid = paidRaws.Select(async raw => (Sender: payer.Address, Sponsored: false, Reply: await Rpc.CallAsync("sequencer_sendRawTransaction", raw)));
        var sponsored = new[] { (Identity: Alice, Tag: 100), (Identity: Bob, Tag: 200) }
            .SelectMany(p => Enumerable.Range(1, 5).Select(async i => (Sender: accounts[p.Identity], Sponsored: true,
                Reply: await TestIdentityRpc.CallAsAsync(stack.Host.RpcUrl, p.Identity, "sequencer_sendSponsoredTransaction",
                    new Dictionary<string, string> { ["to"] = token, ["data"] = TestTokenContract.TransferData(TestWallet.DeadAddress, p.Tag + i), ["gas"] = "0x186a0" }))));
        var replies = await Task.WhenAll(paid.Concat(sponsored));
        Assert.All(replies, r => Assert.True(r.Reply.Error is null, r.Reply.Error?.GetRawText()));
        var confirmations = replies.OrderBy(r => Quantity(r.Reply.Result.GetProperty("sequence"))).ToArray();
        Assert.Equal(16, confirmations.Length);
        await stack.WaitUntilExecutedAsync(confirmations.Max(c => Quantity(c.Reply.Result.GetProperty("blockNumber"))));

        var amountByHash = new Dictionary<string, long>();
        foreach (var (sender, isSponsored, reply) in confirmations)
        {
            var confirmation = reply.Result;
            var hash = confirmation.GetProperty("txHash").GetString()!;
            var receipt = await Rpc.ResultAsync("eth_getTransactionReceipt", hash);
            Assert.Equal("0x1", receipt.GetProperty("status").GetString());
            Assert.Equal(Quantity(confirmation.GetProperty("blockNumber")), Quantity(receipt.GetProperty("blockNumber")));
            Assert.Equal(Quantity(confirmation.GetProperty("index")), Quantity(receipt.GetProperty("transactionIndex")));
            Assert.Equal(sender, receipt.GetProperty("from").GetString()!.ToLowerInvariant());
            if (isSponsored)
            {
                Assert.Equal(sender, confirmation.GetProperty("from").GetString()!.ToLowerInvariant());
                Assert.Equal("0x0", receipt.GetProperty("effectiveGasPrice").GetString());
            }

            var tx = await Rpc.ResultAsync("eth_getTransactionByHash", hash);
            amountByHash[hash] = (long)Word(tx.GetProperty("input").GetString()![^64..]);
        }

        var logs = (await Rpc.ResultAsync("eth_getLogs", new Dictionary<string, object>
        {
            ["address"] = token,
            ["fromBlock"] = "0x0",
            ["toBlock"] = "latest",
            ["topics"] = new[] { TestTokenContract.TransferTopic },
        })).EnumerateArray().ToArray();

        // The mint, the two fundings, then one Transfer per call in the order the sequencer confirmed them.
        string[] expectedHashes = [deploy.GetProperty("txHash").GetString()!, .. funding, .. confirmations.Select(c => c.Reply.Result.GetProperty("txHash").GetString()!)];
        Assert.Equal(expectedHashes, logs.Select(log => log.GetProperty("transactionHash").GetString()));
        Assert.Equal(confirmations.Select(c => amountByHash[c.Reply.Result.GetProperty("txHash").GetString()!]),
            logs.Skip(3).Select(log => (long)Word(log.GetProperty("data").GetString()![2..])));
        Assert.Equal(confirmations.Select(c => c.Sender), logs.Skip(3).Select(log => "0x" + log.GetProperty("topics")[1].GetString()![^40..]));
        var balance = await Rpc.ResultAsync("eth_call", new Dictionary<string, object> { ["to"] = token, ["data"] = TestTokenContract.BalanceOfData(TestWallet.DeadAddress) }, "latest");
        Assert.Equal(21 + 515 + 1015, (long)Word(balance.GetString()![2..]));
    }

    private static ulong Quantity(JsonElement value) => Convert.ToUInt64(value.GetString(), 16);

    private static BigInteger Word(string hex) => BigInteger.Parse("0" + hex, NumberStyles.HexNumber);
}
