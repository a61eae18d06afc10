using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Admission.Tests.Infrastructure;
using TestInfrastructure.Oidc;

namespace Admission.Tests.Identity;

/// <summary>A provider that is down is reported as such, never as a server error, and nobody gets in.</summary>
public sealed class ProviderOutageTests
{
    [Fact]
    public async Task With_the_provider_down_bearer_tokens_get_401_and_login_goes_back_to_the_app_page_with_a_reason()
    {
        await using var provider = await OidcProviderServer.StartAsync();
        var token = await OidcLoginDriver.GetIdTokenAsync(provider, OidcTestUser.Alice);
        await using var host = await IdentityTestHost.StartAsync(IdentityTestHost.OidcProvider(provider));
        await provider.DisposeAsync();
        using var http = OidcLoginDriver.NewBrowserlikeClient();

        using var request = new HttpRequestMessage(HttpMethod.Get, host.Url("/auth/me"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var me = await http.SendAsync(request);
        using var login = await http.GetAsync(host.Url("/auth/login/test-oidc"));

        Assert.Equal(HttpStatusCode.Unauthorized, me.StatusCode);
        Assert.Equal("the token issuer's signing keys cannot be fetched now", (await me.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString());
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        Assert.StartsWith("/app?login_error=", login.Headers.Location!.OriginalString);
    }
}
