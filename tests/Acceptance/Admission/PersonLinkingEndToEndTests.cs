using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Acceptance.Browser;
using TestInfrastructure;
using TestInfrastructure.Ethereum;
using TestInfrastructure.Identity;
using TestInfrastructure.Oidc;
using TestInfrastructure.Redis;

namespace Acceptance.Admission;

/// <summary>
/// One person, many logins and wallets, with every part real: a person logs in at the real OIDC provider (oidc-provider),
/// then, with that session live, logs in through a second provider configured as X-style OAuth, and the two logins become
/// one person; a wallet (keys held by Nethereum, not the sequencer) signs a Sign-In with Ethereum message and is linked too.
/// Two sequencer hosts share one real redis-server: the two logins and the wallet's own zero-fee transactions, sent to the
/// other host, draw on one daily budget; a wallet linked to nobody is refused with -32003; unlinking is in the audit log.
/// </summary>
[Collection(OidcProviderFixture.Collection)]
public sealed class PersonLinkingEndToEndTests(OidcProviderFixture oidc) : IAsyncLifetime
{
    private const string Contract = "0x000000000000000000000000000000000000dead";
    private const int DailyTxQuota = 4;
    private const ulong ChainId = 424242;

    private static readonly string PolicyJson = $$"""
        { "version": 1,
          "rules": [ { "name": "people", "provider": "*", "allowedContracts": [ { "address": "{{Contract}}" } ],
                       "maxGasPerTx": 100000, "defaultGasPerTx": 50000,
                       "rate": { "burst": { "count": 100, "periodSeconds": 60 } }, "dailyTxQuota": {{DailyTxQuota}} } ],
          "globalDailySponsoredGas": 1000000000 }
        """;

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "person-linking-" + Guid.NewGuid().ToString("N"));
    private readonly CookieContainer _cookies = new();
    private RedisServer _redis = null!;
    private SequencerWithLogin _first = null!;
    private SequencerWithLogin _second = null!;
    private HttpClient _browser = null!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_directory);
        var policyFile = Path.Combine(_directory, "policy.json");
        await File.WriteAllTextAsync(policyFile, PolicyJson);
        _redis = await RedisServer.StartAsync();
        string[] settings = [.. _redis.AdmissionSettings, $"--Admission:PolicyFile={policyFile}", .. XStyleLogin(oidc.Server)];
        _first = await SequencerWithLogin.StartAsync(oidc.Server, settings);
        _second = await SequencerWithLogin.StartAsync(oidc.Server, settings);
        _browser = OidcLoginDriver.NewBrowserlikeClient(_cookies);
    }

    public async Task DisposeAsync()
    {
        _browser.Dispose();
        await _first.DisposeAsync();
        await _second.DisposeAsync();
        await _redis.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task Two_logins_and_a_wallet_are_one_person_with_one_budget_and_unlinking_is_audited()
    {
        var host = _first.BaseUrl;

        // Login A at the OIDC provider, then login B (X-style OAuth) while A's session is live: one person.
        var (_, me) = await OidcLoginDriver.LogInAsync(_browser, new Uri(host, "/auth/login/test-oidc?returnUrl=/auth/me"), OidcTestUser.Alice);
        var loginA = (await me!.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("key").GetString()!;
        var start = await Json(await _browser.SendAsync(DevLoginDriver.JsonFromPage(HttpMethod.Post, host, "/auth/link/login", """{"provider":"x","returnUrl":"/auth/person"}""")));
        var (landed, person) = await OidcLoginDriver.LogInAsync(_browser, new Uri(host, start.GetProperty("loginUrl").GetString()!), OidcTestUser.Alice);
        Assert.Contains("linked=", landed.Query, StringComparison.Ordinal);
        var members = Members(await person!.Content.ReadFromJsonAsync<JsonElement>());
        var loginB = Assert.Single(members, m => m.StartsWith("x:", StringComparison.Ordinal));
        Assert.Equal(2, members.Length);
        Assert.Contains(loginA, members);

        // A wallet proves itself with Sign-In with Ethereum, signed by Nethereum.
        var wallet = TestWallet.FromSeed(4361, ChainId);
        var walletKey = "wallet:" + wallet.Address;
        var nonce = await Json(await FromPageAsync("/auth/siwe/nonce", new { address = wallet.Address }));
        var message = nonce.GetProperty("message").GetString()!;
        var linked = await Json(await FromPageAsync("/auth/link/wallet", new { message, signature = wallet.SignMessage(message) }));
        Assert.Equal(3, Members(linked).Length);
        Assert.Contains(walletKey, Members(linked));
        var replayed = await FromPageAsync("/auth/link/wallet", new { message, signature = wallet.SignMessage(message) });
        Assert.Equal(HttpStatusCode.BadRequest, replayed.StatusCode);

        // One budget of 4: login B (session), login A (its ID token, on the other host), the wallet's own zero-fee transactions.
        var token = await OidcLoginDriver.GetIdTokenAsync(oidc.Server, OidcTestUser.Alice);
        using var rpc = new RpcTestClient(_second.BaseUrl);
        Result(await SponsoredFromPageAsync());
        Result(await CallWithTokenAsync(_second, token, "sequencer_sendSponsoredTransaction", new { to = Contract, data = "0x" }));
        var walletTx = wallet.Sign1559(0, Contract, value: 0, gas: 50_000, maxFeePerGas: 0, maxPriorityFeePerGas: 0);
        var sent = await rpc.CallAsync("eth_sendRawTransaction", walletTx);
        Assert.True(sent.Error is null, sent.Error?.ToString());
        Assert.True((await rpc.CallAsync("eth_sendRawTransaction", wallet.Sign1559(1, Contract, value: 0, gas: 50_000, maxFeePerGas: 0, maxPriorityFeePerGas: 0))).Error is null);

        var overByWallet = ErrorOf(await rpc.CallAsync("eth_sendRawTransaction", wallet.Sign1559(2, Contract, value: 0, gas: 50_000, maxFeePerGas: 0, maxPriorityFeePerGas: 0)));
        Assert.Equal(-32005, overByWallet.GetProperty("code").GetInt32());
        Assert.Equal("dailyTxQuota", overByWallet.GetProperty("data").GetProperty("reason").GetString());
        var overByLogin = Error(await SponsoredFromPageAsync());
        Assert.Equal(-32005, overByLogin.GetProperty("code").GetInt32());
        var usage = Result(await CallWithTokenAsync(_first, token, "sequencer_getIdentity")).GetProperty("usage");
        Assert.Equal(DailyTxQuota, usage.GetProperty("txToday").GetInt64());
        Assert.Equal(3, Members(usage.GetProperty("person")).Length);

        // A wallet linked to nobody is refused with -32003.
        var stranger = TestWallet.FromSeed(7, ChainId);
        var refused = ErrorOf(await rpc.CallAsync("eth_sendRawTransaction", stranger.Sign1559(0, Contract, value: 0, gas: 50_000, maxFeePerGas: 0, maxPriorityFeePerGas: 0)));
        Assert.Equal(-32003, refused.GetProperty("code").GetInt32());
        Assert.Contains("linked", refused.GetProperty("message").GetString(), StringComparison.Ordinal);

        // Unlinking the wallet: audited, its zero-fee transactions refused from then on, the operator sees two logins left.
        var after = await Json(await FromPageAsync("/auth/unlink", new { identity = walletKey }));
        Assert.DoesNotContain(walletKey, Members(after));
        using var admin = new HttpClient();
        admin.DefaultRequestHeaders.Add("X-Admin-Key", SequencerWithLogin.AdminKey);
        var audit = await admin.GetFromJsonAsync<JsonElement>(_second.Url("/admin/api/audit?count=20"));
        var entry = audit.EnumerateArray().First(e => e.GetProperty("action").GetString() == "person.unlink");
        Assert.Equal(loginB, entry.GetProperty("actor").GetString());
        Assert.Contains(walletKey, entry.GetProperty("changes")[0].GetString(), StringComparison.Ordinal);
        var unlinkedTx = ErrorOf(await rpc.CallAsync("eth_sendRawTransaction", wallet.Sign1559(2, Contract, value: 0, gas: 50_000, maxFeePerGas: 0, maxPriorityFeePerGas: 0)));
        Assert.Equal(-32003, unlinkedTx.GetProperty("code").GetInt32());
        var lookup = await admin.GetFromJsonAsync<JsonElement>(_second.Url("/admin/api/usage?identity=" + Uri.EscapeDataString(loginA)));
        Assert.Equal([loginA, loginB], Members(lookup.GetProperty("identity").GetProperty("person")).Order(StringComparer.Ordinal).ToArray());
    }

    /// <summary>A second login provider in X's style (plain OAuth, Basic client auth, user-info) whose endpoints are the test provider's.</summary>
    private static string[] XStyleLogin(OidcProviderServer provider)
    {
        const string at = "--Admission:Identity:Providers:x";
        var client = OidcTestClient.XStyle;
        return
        [
            $"{at}:Kind=OAuth", $"{at}:Issuer=https://x.test", $"{at}:ClientId={client.ClientId}", $"{at}:ClientSecret={client.ClientSecret}",
            $"{at}:TokenEndpointAuthMethod={client.TokenEndpointAuthMethod}", $"{at}:AuthorizationEndpoint={provider.AuthorizationEndpoint}",
            $"{at}:TokenEndpoint={provider.TokenEndpoint}", $"{at}:UserInformationEndpoint={provider.UserInfoEndpoint}",
            $"{at}:Scopes:0=openid", $"{at}:Scopes:1=profile", $"{at}:UserInfoClaims:sub=sub", $"{at}:UserInfoClaims:name=name",
        ];
    }

    private Task<HttpResponseMessage> FromPageAsync(string path, object body) =>
        _browser.SendAsync(DevLoginDriver.JsonFromPage(HttpMethod.Post, _first.BaseUrl, path, JsonSerializer.Serialize(body)));

    private async Task<JsonElement> SponsoredFromPageAsync() =>
        await (await FromPageAsync("/", new { jsonrpc = "2.0", id = 1, method = "sequencer_sendSponsoredTransaction", @params = new[] { new { to = Contract, data = "0x" } } }))
            .Content.ReadFromJsonAsync<JsonElement>();

    private static async Task<JsonElement> CallWithTokenAsync(SequencerWithLogin host, string token, string method, object? parameter = null)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, host.BaseUrl)
        {
            Content = JsonContent.Create(new { jsonrpc = "2.0", id = 1, method, @params = parameter is null ? Array.Empty<object>() : new[] { parameter } }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await http.SendAsync(request);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static async Task<JsonElement> Json(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    private static string[] Members(JsonElement person) => [.. person.GetProperty("members").EnumerateArray().Select(m => m.GetString()!)];

    private static JsonElement Result(JsonElement reply) =>
        reply.TryGetProperty("result", out var result) ? result : throw new Xunit.Sdk.XunitException("expected a result, got " + reply.GetRawText());

    private static JsonElement ErrorOf(RpcResponse response) =>
        response.Error ?? throw new Xunit.Sdk.XunitException("expected an error, got the result " + response.Result.GetRawText());

    private static JsonElement Error(JsonElement reply) =>
        reply.TryGetProperty("error", out var error) ? error : throw new Xunit.Sdk.XunitException("expected an error, got " + reply.GetRawText());
}
