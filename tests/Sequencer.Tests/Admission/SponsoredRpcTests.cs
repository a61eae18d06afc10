using System.Text.Json;
using Sequencer.Tests.Infrastructure;
using TestInfrastructure.Ethereum;
using TestInfrastructure.Identity;

namespace Sequencer.Tests.Admission;

/// <summary>sequencer_sendSponsoredTransaction and sequencer_getIdentity over HTTP, with the documented errors.</summary>
public sealed class SponsoredRpcTests(AdmissionHostFixture host) : IClassFixture<AdmissionHostFixture>
{
    private static string Id(string provider, string subject) => HeaderIdentityAuthenticator.Value(provider, subject);

    [Fact]
    public async Task SponsoredTransaction_IsConfirmed_FromTheIdentityAccount_WithZeroFee()
    {
        var identity = Id("open", "alice");

        var reply = await host.SendSponsoredAsync(identity, gas: "0x186a0");
        Assert.Null(reply.Error);
        var from = reply.Result.GetProperty("from").GetString()!;
        var txHash = reply.Result.GetProperty("txHash").GetString()!;
        Assert.Equal(SequencerHostFixture.SequencerAddress, reply.Result.GetProperty("sequencer").GetString());
        Assert.Equal("0x186a0", reply.Result.GetProperty("gas").GetString());

        var me = await host.CallAsAsync(identity, "sequencer_getIdentity");
        Assert.Equal(from, me.Result.GetProperty("address").GetString());
        Assert.Equal("0x1", me.Result.GetProperty("nonce").GetString());
        Assert.Equal(1, me.Result.GetProperty("usage").GetProperty("txToday").GetInt64());
        Assert.Equal(100_000, me.Result.GetProperty("usage").GetProperty("gasToday").GetInt64());
        Assert.Equal("open", me.Result.GetProperty("usage").GetProperty("rule").GetString());

        var tx = await host.Rpc.ResultAsync("eth_getTransactionByHash", txHash);
        Assert.Equal(from, tx.GetProperty("from").GetString());
        Assert.Equal("0x0", tx.GetProperty("maxFeePerGas").GetString());
        Assert.Equal("0x0", tx.GetProperty("maxPriorityFeePerGas").GetString());
        Assert.Equal(AdmissionSequencerHost.Token, tx.GetProperty("to").GetString());
    }

    [Fact]
    public async Task ConcurrentRequests_OfOneIdentity_GetConsecutiveNonces()
    {
        var identity = Id("open", "busy");

        var replies = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => host.SendSponsoredAsync(identity)));

        Assert.All(replies, r => Assert.Null(r.Error));
        var nonces = replies.Select(r => Convert.ToUInt64(r.Result.GetProperty("nonce").GetString(), 16)).Order().ToList();
        Assert.Equal(Enumerable.Range(0, 12).Select(i => (ulong)i), nonces);
    }

    [Fact]
    public async Task NoCredentials_IsRejected_WithNoTransaction()
    {
        var reply = await host.SendSponsoredAsync(identity: null);

        Assert.Equal(-32003, reply.ErrorCode);
        Assert.Contains("authentication failed", reply.ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetIdentity_WithoutCredentials_IsRejected()
    {
        var reply = await host.CallAsAsync(null, "sequencer_getIdentity");

        Assert.Equal(-32003, reply.ErrorCode);
        Assert.Contains("authentication failed", reply.ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PolicyDenial_Is32003_NamingTheRule()
    {
        var contract = await host.SendSponsoredAsync(Id("dev", "carol"), to: "0x2222222222222222222222222222222222222222");
        var selector = await host.SendSponsoredAsync(Id("dev", "carol"), data: "0xdeadbeef");
        var blocked = await host.SendSponsoredAsync(Id("dev", "blocked"));
        var gas = await host.SendSponsoredAsync(Id("dev", "carol"), gas: "0x30d41");

        Assert.Equal(-32003, contract.ErrorCode);
        Assert.Contains("rule \"burst-app\" (allowedContracts)", contract.ErrorMessage, StringComparison.Ordinal);
        Assert.Contains("(selectors)", selector.ErrorMessage, StringComparison.Ordinal);
        Assert.Contains("blocked", blocked.ErrorMessage, StringComparison.Ordinal);
        Assert.Contains("(maxGasPerTx)", gas.ErrorMessage, StringComparison.Ordinal);
        Assert.Equal(-32003, blocked.ErrorCode);
    }

    [Fact]
    public async Task BurstLimit_Is32005_WithReasonAndRetryAfter()
    {
        var identity = Id("dev", "dave");
        for (var i = 0; i < 3; i++)
        {
            Assert.Null((await host.SendSponsoredAsync(identity)).Error);
        }

        var limited = await host.SendSponsoredAsync(identity);

        Assert.Equal(-32005, limited.ErrorCode);
        var data = limited.Error!.Value.GetProperty("data");
        Assert.Equal("rate.burst", data.GetProperty("reason").GetString());
        Assert.InRange(data.GetProperty("retryAfterMs").GetInt64(), 1_000_000, 1_200_000);
    }

    [Fact]
    public async Task DailyQuota_Is32005_RetryAtMidnight()
    {
        var identity = Id("quota", "erin");
        Assert.Null((await host.SendSponsoredAsync(identity)).Error);
        Assert.Null((await host.SendSponsoredAsync(identity)).Error);

        var limited = await host.SendSponsoredAsync(identity);

        Assert.Equal(-32005, limited.ErrorCode);
        var data = limited.Error!.Value.GetProperty("data");
        Assert.Equal("dailyTxQuota", data.GetProperty("reason").GetString());
        Assert.InRange(data.GetProperty("retryAfterMs").GetInt64(), 1, 86_400_000);
        var usage = (await host.CallAsAsync(identity, "sequencer_getIdentity")).Result.GetProperty("usage");
        Assert.Equal(2, usage.GetProperty("txToday").GetInt64());
        Assert.Equal(2, usage.GetProperty("dailyTxQuota").GetInt64());
    }

    [Fact]
    public async Task BadRequestShape_IsInvalidParams()
    {
        var reply = await host.CallAsAsync(Id("open", "x"), "sequencer_sendSponsoredTransaction", new Dictionary<string, string> { ["to"] = "0x12" });

        Assert.Equal(-32602, reply.ErrorCode);
        Assert.Contains("to must be a 20-byte hex address", reply.ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ZeroFeeRawTransaction_OnThePaidLane_IsRejected()
    {
        var wallet = TestWallet.FromSeed(9001, SequencerHostFixture.ChainId);

        var reply = await host.Rpc.CallAsync("eth_sendRawTransaction", wallet.Sign1559(0, maxFeePerGas: 0, maxPriorityFeePerGas: 0));

        Assert.Equal(-32003, reply.ErrorCode);
        Assert.Contains("sponsored lane", reply.ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PaidLane_PerSenderLimit_Is32005()
    {
        var wallet = TestWallet.FromSeed(9002, SequencerHostFixture.ChainId);
        Assert.Null((await host.Rpc.CallAsync("eth_sendRawTransaction", wallet.Sign1559(wallet.TakeNonce()))).Error);
        Assert.Null((await host.Rpc.CallAsync("sequencer_sendRawTransaction", wallet.Sign1559(wallet.TakeNonce()))).Error);

        var limited = await host.Rpc.CallAsync("eth_sendRawTransaction", wallet.Sign1559(wallet.TakeNonce()));

        Assert.Equal(-32005, limited.ErrorCode);
        Assert.Equal("paid.perSender.burst", limited.Error!.Value.GetProperty("data").GetProperty("reason").GetString());
    }

    [Fact]
    public async Task OperatorApi_IsServedByTheHost()
    {
        using var http = new HttpClient();
        using var anonymous = await http.GetAsync(new Uri(host.RpcUrl, "/admin/api/policy"));
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(host.RpcUrl, "/admin/api/policy"));
        request.Headers.Add("X-Admin-Key", "test-admin-key-0123456789-abcdefghijklmnop");
        using var operatorResponse = await http.SendAsync(request);

        Assert.Equal(401, (int)anonymous.StatusCode);
        Assert.Equal(200, (int)operatorResponse.StatusCode);
        Assert.Equal(1, JsonDocument.Parse(await operatorResponse.Content.ReadAsStringAsync()).RootElement.GetProperty("version").GetInt64());
    }
}
