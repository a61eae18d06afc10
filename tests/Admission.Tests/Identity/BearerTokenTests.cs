using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Admission.Tests.Infrastructure;
using Microsoft.IdentityModel.Tokens;
using TestInfrastructure.Oidc;

namespace Admission.Tests.Identity;

/// <summary>
/// ID tokens of a real OIDC provider (oidc-provider) as Bearer credentials: the genuine one is
/// accepted, every forgery is refused with 401 and a reason that names what is wrong.
/// </summary>
[Collection(OidcProviderFixture.Collection)]
public sealed class BearerTokenTests(OidcProviderFixture oidc) : IAsyncLifetime
{
    private IdentityTestHost _host = null!;
    private readonly HttpClient _http = new();

    private OidcProviderServer Provider => oidc.Server;

    private static string Audience => OidcTestClient.Sequencer.ClientId;

    public async Task InitializeAsync() => _host = await IdentityTestHost.StartAsync(IdentityTestHost.OidcProvider(oidc.Server));

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _host.DisposeAsync();
    }

    [Fact]
    public async Task A_genuine_id_token_gives_the_identity_with_its_policy_claims()
    {
        var token = await OidcLoginDriver.GetIdTokenAsync(Provider, OidcTestUser.Alice);

        var (status, body) = await MeAsync(token);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("test-oidc:alice", body.GetProperty("key").GetString());
        Assert.Equal(Provider.Issuer, body.GetProperty("issuer").GetString());
        var claims = body.GetProperty("claims");
        Assert.Equal("true", claims.GetProperty("verified").GetString());
        Assert.Equal("1200", claims.GetProperty("followers_count").GetString());
        Assert.Equal("1500000000", claims.GetProperty("created_at").GetString());
        Assert.False(claims.TryGetProperty("nonce", out _), "claims no policy uses are dropped");
    }

    [Fact]
    public async Task A_claim_the_provider_sends_as_a_list_keeps_every_value_joined_by_spaces()
    {
        var claims = new Dictionary<string, object> { ["role"] = new[] { "user", "operator" }, ["verified"] = "true" };
        var token = TokenForge.Sign(Provider.CurrentKey.Credentials, Provider.Issuer, Audience, "alice", claims: claims);

        var (status, body) = await MeAsync(token);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("user operator", body.GetProperty("claims").GetProperty("role").GetString());
        Assert.Equal("true", body.GetProperty("claims").GetProperty("verified").GetString());
    }

    [Fact]
    public async Task An_unsigned_token_with_alg_none_is_refused()
    {
        await AssertRefusedAsync(TokenForge.Unsigned(Provider.Issuer, Audience, "alice"), "token signature is invalid");
    }

    [Fact]
    public async Task A_token_signed_with_another_key_under_the_providers_key_id_is_refused()
    {
        using var rsa = RSA.Create(2048);
        var forged = new SigningCredentials(new RsaSecurityKey(rsa) { KeyId = Provider.CurrentKey.KeyId }, SecurityAlgorithms.RsaSha256);

        await AssertRefusedAsync(TokenForge.Sign(forged, Provider.Issuer, Audience, "alice"), "token signature is invalid");
    }

    [Fact]
    public async Task A_token_for_another_audience_is_refused()
    {
        var token = TokenForge.Sign(Provider.CurrentKey.Credentials, Provider.Issuer, "some-other-app", "alice");

        await AssertRefusedAsync(token, "token audience is not accepted");
    }

    [Fact]
    public async Task A_token_from_an_issuer_that_is_not_configured_is_refused_even_with_the_right_key()
    {
        var token = TokenForge.Sign(Provider.CurrentKey.Credentials, "http://127.0.0.1:1", Audience, "alice");

        await AssertRefusedAsync(token, "token issuer is not accepted");
    }

    [Fact]
    public async Task An_expired_token_is_refused()
    {
        var past = DateTime.UtcNow.AddHours(-2);
        var token = TokenForge.Sign(Provider.CurrentKey.Credentials, Provider.Issuer, Audience, "alice", expires: past.AddMinutes(30), notBefore: past);

        await AssertRefusedAsync(token, "token expired");
    }

    [Fact]
    public async Task A_token_that_is_not_yet_valid_is_refused()
    {
        var future = DateTime.UtcNow.AddHours(1);
        var token = TokenForge.Sign(Provider.CurrentKey.Credentials, Provider.Issuer, Audience, "alice", expires: future.AddHours(1), notBefore: future);

        await AssertRefusedAsync(token, "token not yet valid");
    }

    [Fact]
    public async Task A_genuine_token_with_a_changed_subject_is_refused()
    {
        var genuine = await OidcLoginDriver.GetIdTokenAsync(Provider, OidcTestUser.Bob);

        await AssertRefusedAsync(TokenForge.WithTamperedClaim(genuine, "sub", "alice"), "token signature is invalid");
    }

    [Fact]
    public async Task A_token_with_an_unknown_key_id_is_refused_after_the_keys_are_fetched_again()
    {
        using var rsa = RSA.Create(2048);
        var unknown = new SigningCredentials(new RsaSecurityKey(rsa) { KeyId = "not-published" }, SecurityAlgorithms.RsaSha256);

        await AssertRefusedAsync(TokenForge.Sign(unknown, Provider.Issuer, Audience, "alice"), "token signed by an unknown key");
    }

    [Fact]
    public async Task A_token_hmac_signed_with_the_providers_public_key_is_refused()
    {
        // Algorithm confusion: HS256 keyed with the public RSA modulus the attacker can read from the JWKS.
        var secret = new SymmetricSecurityKey(Provider.CurrentKey.Key.Rsa.ExportParameters(false).Modulus!) { KeyId = Provider.CurrentKey.KeyId };
        var token = TokenForge.Sign(new SigningCredentials(secret, SecurityAlgorithms.HmacSha256), Provider.Issuer, Audience, "alice");

        var (status, body) = await MeAsync(token);

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.StartsWith("token ", body.GetProperty("error").GetString());
    }

    [Fact]
    public async Task A_genuine_token_is_refused_when_its_algorithm_is_not_in_the_configured_list()
    {
        await using var strict = await IdentityTestHost.StartAsync(
            [.. IdentityTestHost.OidcProvider(Provider), "--Admission:Identity:Providers:test-oidc:AllowedAlgorithms:0=ES256"]);
        var token = await OidcLoginDriver.GetIdTokenAsync(Provider, OidcTestUser.Alice);

        using var request = new HttpRequestMessage(HttpMethod.Get, strict.Url("/auth/me"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await _http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        // IdentityModel reports a disallowed algorithm as a signature it could not check.
        Assert.Contains((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString(), (string[])["token algorithm is not allowed", "token signature is invalid"]);
    }

    [Fact]
    public async Task A_malformed_token_is_refused_with_a_reason_not_a_server_error()
    {
        await AssertRefusedAsync("not.a-token", "token is malformed");
        await AssertRefusedAsync("%%%", "token is malformed");
    }

    [Fact]
    public async Task A_request_without_credentials_or_with_another_scheme_is_unauthorized()
    {
        using var anonymous = await _http.GetAsync(_host.Url("/auth/me"));
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);

        using var request = new HttpRequestMessage(HttpMethod.Get, _host.Url("/auth/me"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("alice:x")));
        using var basic = await _http.SendAsync(request);
        Assert.Equal(HttpStatusCode.Unauthorized, basic.StatusCode);
    }

    private async Task AssertRefusedAsync(string token, string reason)
    {
        var (status, body) = await MeAsync(token);
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal(reason, body.GetProperty("error").GetString());
    }

    private async Task<(HttpStatusCode Status, JsonElement Body)> MeAsync(string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, _host.Url("/auth/me"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await _http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadFromJsonAsync<JsonElement>());
    }
}
