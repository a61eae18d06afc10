using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Admission.Tests.Infrastructure;
using TestInfrastructure.Oidc;

namespace Admission.Tests.Identity;

/// <summary>Two OIDC providers at once: each token is checked with the keys of the issuer it names, and only those.</summary>
[Collection(OidcProviderFixture.Collection)]
public sealed class MultipleIssuerTests(OidcProviderFixture oidc)
{
    [Fact]
    public async Task Each_issuers_tokens_give_identities_of_that_provider_and_one_issuers_key_cannot_sign_for_the_other()
    {
        await using var second = await OidcProviderServer.StartAsync(OidcSigningKey.Create("second-key"));
        await using var host = await IdentityTestHost.StartAsync(
            [.. IdentityTestHost.OidcProvider(oidc.Server), .. IdentityTestHost.OidcProvider(second, name: "second")]);
        using var http = new HttpClient();

        var fromFirst = await MeAsync(http, host, await OidcLoginDriver.GetIdTokenAsync(oidc.Server, OidcTestUser.Alice));
        var fromSecond = await MeAsync(http, host, await OidcLoginDriver.GetIdTokenAsync(second, OidcTestUser.Alice));
        var crossSigned = await MeAsync(http, host,
            TokenForge.Sign(oidc.Server.CurrentKey.Credentials, second.Issuer, OidcTestClient.Sequencer.ClientId, "alice"));

        Assert.Equal("test-oidc:alice", fromFirst.Body.GetProperty("key").GetString());
        Assert.Equal("second:alice", fromSecond.Body.GetProperty("key").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, crossSigned.Status);
        Assert.Equal("token signed by an unknown key", crossSigned.Body.GetProperty("error").GetString());
    }

    private static async Task<(HttpStatusCode Status, JsonElement Body)> MeAsync(HttpClient http, IdentityTestHost host, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, host.Url("/auth/me"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadFromJsonAsync<JsonElement>());
    }
}
