using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Acceptance.Browser;
using TestInfrastructure.Ethereum;
using TestInfrastructure.Identity;
using TestInfrastructure.Oidc;

namespace Acceptance.Identity;

/// <summary>
/// The login session cookie on /ws, from a real login at the real provider: identity and sponsored calls
/// work over the socket as they do over HTTP, for the lifetime of the socket (docs/rpc.md "WebSocket").
/// </summary>
[Collection(OidcProviderFixture.Collection)]
public sealed class WebSocketSessionTests(OidcProviderFixture oidc) : IAsyncLifetime
{
    private SequencerWithLogin _host = null!;

    // No clock skew, so that a token's expiry shows within the test.
    public async Task InitializeAsync() => _host = await SequencerWithLogin.StartAsync(oidc.Server, "--Admission:Identity:Providers:test-oidc:ClockSkewSeconds=0");

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task A_login_session_cookie_identifies_the_caller_over_the_websocket_until_logout()
    {
        var cookies = new CookieContainer();
        using var http = OidcLoginDriver.NewBrowserlikeClient(cookies);
        var (_, page) = await OidcLoginDriver.LogInAsync(http, new Uri(_host.Url("/auth/login/test-oidc?returnUrl=/auth/me")), OidcTestUser.Alice);
        var me = await page!.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("test-oidc:alice", me.GetProperty("key").GetString());

        var url = new Uri($"ws://{_host.BaseUrl.Authority}/ws");
        using var socket = await RpcWebSocket.ConnectAsync(url, options =>
        {
            options.Cookies = cookies;
            options.SetRequestHeader("Origin", $"http://{_host.BaseUrl.Authority}");
        });

        var identity = await socket.CallAsync(1, "sequencer_getIdentity");
        Assert.True(identity.TryGetProperty("result", out var result), identity.GetRawText());
        Assert.Equal("test-oidc:alice", result.GetProperty("identity").GetString());

        var sent = await socket.CallAsync(2, "sequencer_sendSponsoredTransaction", """[{"to":"0x000000000000000000000000000000000000dEaD","data":"0x"}]""");
        Assert.True(sent.TryGetProperty("result", out var confirmation), sent.GetRawText());
        Assert.Equal(result.GetProperty("address").GetString()!.ToLowerInvariant(), confirmation.GetProperty("from").GetString()!.ToLowerInvariant());

        // A socket without the cookie is anonymous: the cookie, not the connection, carries the identity.
        using var anonymous = await RpcWebSocket.ConnectAsync(url);
        var refused = await anonymous.CallAsync(3, "sequencer_getIdentity");
        Assert.Equal(-32003, refused.GetProperty("error").GetProperty("code").GetInt32());

        // Logging out ends the session on the socket that is still open too.
        using (var logout = new HttpRequestMessage(HttpMethod.Post, _host.Url("/auth/logout")))
        {
            DevLoginDriver.SameOrigin(logout, _host.BaseUrl);
            using var loggedOut = await http.SendAsync(logout);
            Assert.Equal(HttpStatusCode.Redirect, loggedOut.StatusCode);
        }

        var afterLogout = await socket.CallAsync(4, "sequencer_getIdentity");
        Assert.Equal(-32003, afterLogout.GetProperty("error").GetProperty("code").GetInt32());
    }

    [Fact]
    public async Task Every_call_checks_the_credentials_again_so_an_expired_token_stops_working_on_an_open_socket()
    {
        var expires = DateTime.UtcNow.AddSeconds(4);
        var token = TokenForge.Sign(oidc.Server.CurrentKey.Credentials, oidc.Server.Issuer, OidcTestClient.Sequencer.ClientId, "alice", expires: expires);
        using var socket = await RpcWebSocket.ConnectAsync(new Uri($"ws://{_host.BaseUrl.Authority}/ws"), options => options.SetRequestHeader("Authorization", "Bearer " + token));

        var before = await socket.CallAsync(1, "sequencer_getIdentity");
        Assert.True(before.TryGetProperty("result", out _), before.GetRawText());

        await Task.Delay(expires - DateTime.UtcNow + TimeSpan.FromSeconds(1));
        var after = await socket.CallAsync(2, "sequencer_getIdentity");

        var error = after.GetProperty("error");
        Assert.Equal(-32003, error.GetProperty("code").GetInt32());
        Assert.Contains("authentication failed", error.GetProperty("message").GetString());
    }
}
