using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Acceptance.Browser;
using Microsoft.IdentityModel.Tokens;
using TestInfrastructure.Oidc;

namespace Acceptance.Identity;

/// <summary>
/// sequencer_sendSponsoredTransaction on the real host with ID tokens of the real provider: the
/// genuine token gets a soft confirmation; every forged one gets -32003 with the reason, and no
/// transaction is made for anyone.
/// </summary>
[Collection(OidcProviderFixture.Collection)]
public sealed class SponsoredRpcAuthenticationTests(OidcProviderFixture oidc) : IAsyncLifetime
{
    private const string AllowedContract = "0x000000000000000000000000000000000000dEaD";

    private SequencerWithLogin _host = null!;
    private readonly HttpClient _http = new();

    private OidcProviderServer Provider => oidc.Server;

    private static string Audience => OidcTestClient.Sequencer.ClientId;

    public async Task InitializeAsync() => _host = await SequencerWithLogin.StartAsync(oidc.Server);

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _host.DisposeAsync();
    }

    [Fact]
    public async Task A_genuine_id_token_sends_a_sponsored_transaction_from_the_identity_account()
    {
        var token = await OidcLoginDriver.GetIdTokenAsync(Provider, OidcTestUser.Bob);
        var account = (await CallAsync(token, "sequencer_getIdentity")).GetProperty("result");

        var confirmation = (await CallAsync(token, "sequencer_sendSponsoredTransaction", new { to = AllowedContract, data = "0x" })).GetProperty("result");

        Assert.Equal(account.GetProperty("address").GetString()!.ToLowerInvariant(), confirmation.GetProperty("from").GetString()!.ToLowerInvariant());
        Assert.StartsWith("0x", confirmation.GetProperty("txHash").GetString());
    }

    [Fact]
    public async Task Every_forged_token_is_refused_with_32003_and_no_transaction_is_made()
    {
        var genuine = await OidcLoginDriver.GetIdTokenAsync(Provider, OidcTestUser.Alice);
        var before = await TxTodayAsync(genuine);
        using var otherRsa = RSA.Create(2048);
        var now = DateTime.UtcNow;
        var forgeries = new Dictionary<string, string>
        {
            ["alg none"] = TokenForge.Unsigned(Provider.Issuer, Audience, "alice"),
            ["wrong signing key"] = TokenForge.Sign(new SigningCredentials(new RsaSecurityKey(otherRsa) { KeyId = Provider.CurrentKey.KeyId }, SecurityAlgorithms.RsaSha256), Provider.Issuer, Audience, "alice"),
            ["wrong aud"] = TokenForge.Sign(Provider.CurrentKey.Credentials, Provider.Issuer, "another-app", "alice"),
            ["wrong iss"] = TokenForge.Sign(Provider.CurrentKey.Credentials, "https://issuer.example", Audience, "alice"),
            ["expired"] = TokenForge.Sign(Provider.CurrentKey.Credentials, Provider.Issuer, Audience, "alice", expires: now.AddHours(-1), notBefore: now.AddHours(-2)),
            ["not yet valid"] = TokenForge.Sign(Provider.CurrentKey.Credentials, Provider.Issuer, Audience, "alice", expires: now.AddHours(2), notBefore: now.AddHours(1)),
            ["tampered payload"] = TokenForge.WithTamperedClaim(await OidcLoginDriver.GetIdTokenAsync(Provider, OidcTestUser.Bob), "sub", "alice"),
            ["unknown kid"] = TokenForge.Sign(new SigningCredentials(new RsaSecurityKey(otherRsa) { KeyId = "never-published" }, SecurityAlgorithms.RsaSha256), Provider.Issuer, Audience, "alice"),
        };

        foreach (var (attack, token) in forgeries)
        {
            var reply = await CallAsync(token, "sequencer_sendSponsoredTransaction", new { to = AllowedContract, data = "0x" });
            Assert.False(reply.TryGetProperty("result", out _), attack + " was accepted");
            var error = reply.GetProperty("error");
            Assert.Equal(-32003, error.GetProperty("code").GetInt32());
            Assert.Contains("authentication failed: token", error.GetProperty("message").GetString());
        }

        Assert.Equal(before, await TxTodayAsync(genuine));
    }

    /// <summary>What would change if a transaction were made for the identity: its usage and its account's nonce.</summary>
    private async Task<(long TxToday, string Nonce)> TxTodayAsync(string token)
    {
        var result = (await CallAsync(token, "sequencer_getIdentity")).GetProperty("result");
        return (result.GetProperty("usage").GetProperty("txToday").GetInt64(), result.GetProperty("nonce").GetString()!);
    }

    private async Task<JsonElement> CallAsync(string token, string method, object? parameter = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, _host.BaseUrl)
        {
            Content = JsonContent.Create(new { jsonrpc = "2.0", id = 1, method, @params = parameter is null ? Array.Empty<object>() : new[] { parameter } }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await _http.SendAsync(request);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }
}
