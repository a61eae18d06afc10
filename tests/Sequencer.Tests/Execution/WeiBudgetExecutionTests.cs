using System.Globalization;
using System.Numerics;
using System.Text.Json;
using Sequencer.Tests.Infrastructure;
using TestInfrastructure;
using TestInfrastructure.Identity;

namespace Sequencer.Tests.Execution;

/// <summary>
/// The acceptance test for wei budgets, with a real anvil as execution node: an identity whose sponsored
/// transactions ask for 300,000 gas and use about 21,000 is charged Σ gasUsed × price of its receipts, and its
/// remaining budget in /auth/me and in /admin/api/usage is the cap minus that sum, to the wei.
/// </summary>
public sealed class WeiBudgetExecutionTests(WeiBudgetExecutionTests.Stack stack) : IClassFixture<WeiBudgetExecutionTests.Stack>
{
    private const string AdminKey = "test-admin-key-0123456789-abcdefghijklmnop";
    private const string CapWei = "50000000000000000"; // 0.05 ETH
    private const string Sink = "0x000000000000000000000000000000000000dEaD";
    private static readonly string Alice = HeaderIdentityAuthenticator.Value("app", "alice");

    [Fact]
    public async Task An_identity_is_charged_gas_used_times_price_and_its_remaining_budget_matches_the_receipts_to_the_wei()
    {
        var price = Quantity(await stack.Host.Rpc.ResultAsync("eth_gasPrice"));
        Assert.True(price > 0, "the sequencer charges a price");

        // Calldata of different lengths: each receipt's gasUsed differs, all far below the 300,000 asked for.
        var hashes = new List<string>();
        ulong lastBlock = 0;
        for (var i = 0; i < 5; i++)
        {
            var reply = await TestIdentityRpc.CallAsAsync(stack.Host.RpcUrl, Alice, "sequencer_sendSponsoredTransaction",
                new Dictionary<string, string> { ["to"] = Sink, ["data"] = "0x" + new string('a', 8 * (i + 1)), ["gas"] = "0x493e0" });
            Assert.True(reply.Error is null, reply.Error?.GetRawText());
            hashes.Add(reply.Result.GetProperty("txHash").GetString()!);
            lastBlock = Math.Max(lastBlock, (ulong)Quantity(reply.Result.GetProperty("blockNumber")));
        }

        await stack.WaitUntilExecutedAsync(lastBlock);
        BigInteger charged = 0;
        foreach (var hash in hashes)
        {
            var receipt = await stack.Host.Rpc.ResultAsync("eth_getTransactionReceipt", hash);
            Assert.Equal("0x1", receipt.GetProperty("status").GetString());
            var gasUsed = Quantity(receipt.GetProperty("gasUsed"));
            Assert.True(gasUsed < 30_000, $"gasUsed {gasUsed}");
            var block = await stack.Host.Rpc.ResultAsync("eth_getBlockByNumber", receipt.GetProperty("blockNumber").GetString(), false);
            // The price the sequencer charges is the base fee its blocks report (the node's receipt says 0: the tx has no fee).
            Assert.Equal(price, Quantity(block.GetProperty("baseFeePerGas")));
            charged += gasUsed * price;
        }

        var expectedRemaining = BigInteger.Parse(CapWei, CultureInfo.InvariantCulture) - charged;
        Assert.True(charged * 10 < 5 * 300_000 * price, "charged far less than the gas limits would have been");

        // Settlement follows execution: wait (bounded) until /auth/me shows it, then both views must agree exactly.
        var me = await Eventually.UntilAsync(() => MeSpendAsync(), s => s.GetProperty("spentWeiToday").GetString() == charged.ToString(CultureInfo.InvariantCulture),
            TimeSpan.FromSeconds(30), s => "spend " + s.GetRawText());
        Assert.Equal(expectedRemaining.ToString(CultureInfo.InvariantCulture), me.GetProperty("remainingWei").GetString());
        Assert.Equal(CapWei, me.GetProperty("capWei").GetString());
        Assert.Equal("gasUsed", me.GetProperty("basis").GetString());

        var usage = await AdminUsageAsync();
        var identity = usage.GetProperty("identity").GetProperty("spend");
        Assert.Equal(charged.ToString(CultureInfo.InvariantCulture), identity.GetProperty("spentWeiToday").GetString());
        Assert.Equal(expectedRemaining.ToString(CultureInfo.InvariantCulture), identity.GetProperty("remainingWei").GetString());
        var global = usage.GetProperty("spend");
        Assert.Equal(charged.ToString(CultureInfo.InvariantCulture), global.GetProperty("spentWeiToday").GetString());
        Assert.Equal("ETH", global.GetProperty("currency").GetString());
        Assert.Equal("1", global.GetProperty("cap").GetString());
    }

    private async Task<JsonElement> MeSpendAsync()
    {
        using var client = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(stack.Host.RpcUrl, "auth/me"));
        request.Headers.Add(HeaderIdentityAuthenticator.Header, Alice);
        using var response = await client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        return JsonDocument.Parse(body).RootElement.GetProperty("spend").Clone();
    }

    private async Task<JsonElement> AdminUsageAsync()
    {
        using var client = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(stack.Host.RpcUrl, "admin/api/usage?identity=app:alice"));
        request.Headers.Add("X-Admin-Key", AdminKey);
        using var response = await client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    private static BigInteger Quantity(JsonElement value) => BigInteger.Parse("0" + value.GetString()![2..], NumberStyles.HexNumber);

    /// <summary>The execution stack with a policy that caps each identity at 0.05 ETH a day and everyone at 1 ETH.</summary>
    public sealed class Stack() : SponsoredExecutionStack(
        PolicyWith(
            ruleLimits: $"\"dailySpendCapWei\": \"{CapWei}\"",
            globalLimits: "\"globalDailySponsoredGas\": 100000000000, \"globalDailySpendCapWei\": \"1000000000000000000\""),
        $"--Admission:AdminApiKey={AdminKey}");
}
