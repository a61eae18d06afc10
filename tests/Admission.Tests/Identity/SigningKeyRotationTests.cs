using System.Net;
using System.Net.Http.Headers;
using Admission.Tests.Infrastructure;
using TestInfrastructure.Oidc;

namespace Admission.Tests.Identity;

/// <summary>A provider that rotates its signing key: tokens under the new key work at once, no restart.</summary>
public sealed class SigningKeyRotationTests
{
    [Fact]
    public async Task A_token_under_a_newly_published_key_is_accepted_on_its_first_use()
    {
        await using var provider = await OidcProviderServer.StartAsync(OidcSigningKey.Create("rotation-old"));
        await using var host = await IdentityTestHost.StartAsync(IdentityTestHost.OidcProvider(provider, keyRefreshMinSeconds: 1));
        using var http = new HttpClient();
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(http, host, await OidcLoginDriver.GetIdTokenAsync(provider, OidcTestUser.Alice)));

        var oldKey = provider.CurrentKey;
        await provider.RestartAsync([OidcSigningKey.Create("rotation-new"), oldKey]);
        var underNewKey = await OidcLoginDriver.GetIdTokenAsync(provider, OidcTestUser.Alice);
        Assert.Equal("rotation-new", new Microsoft.IdentityModel.JsonWebTokens.JsonWebToken(underNewKey).Kid);

        Assert.Equal(HttpStatusCode.OK, await StatusAsync(http, host, underNewKey));
    }

    private static async Task<HttpStatusCode> StatusAsync(HttpClient http, IdentityTestHost host, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, host.Url("/auth/me"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await http.SendAsync(request);
        return response.StatusCode;
    }
}
