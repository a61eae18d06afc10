using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Acceptance.Browser;
using TestInfrastructure.Identity;

namespace Acceptance.Security;

/// <summary>
/// The session cookie on real hosts over HTTP, tried as an attacker would: a Development host's
/// cookie shown to a Production host, writes sent by a page of another origin, open redirects,
/// and a copy of the cookie replayed after logout.
/// </summary>
public sealed class SessionSecurityTests : IAsyncLifetime
{
    private const string BlockEve = """{"identity":"dev:eve"}""";

    private SequencerWithLogin _dev = null!;

    public async Task InitializeAsync() => _dev = await SequencerWithLogin.StartDevelopmentAsync();

    public async Task DisposeAsync() => await _dev.DisposeAsync();

    [Fact]
    public async Task A_dev_login_cookie_from_a_development_host_gets_nothing_from_a_production_host_sharing_its_key_ring()
    {
        var keyRing = Path.Combine(Path.GetTempPath(), "shared-keys-" + Guid.NewGuid().ToString("N"));
        var shared = $"--Admission:Identity:Session:KeyRingDirectory={keyRing}";
        await using var development = await SequencerWithLogin.StartDevelopmentAsync(shared);
        await using var production = await SequencerWithLogin.StartProductionAsync(shared);
        using var browser = new SessionCookieClient(development.BaseUrl);
        await browser.LogInAsync("mallory", @operator: true);
        using (var atHome = await browser.GetAsync("/auth/me"))
        {
            Assert.Equal(HttpStatusCode.OK, atHome.StatusCode);
        }

        using var me = await browser.ReplayAsync(production.BaseUrl, browser.Session!, HttpMethod.Get, "/auth/me");
        using var block = await browser.ReplayAsync(production.BaseUrl, browser.Session!, HttpMethod.Post, "/admin/api/block", BlockEve);

        Assert.Equal(HttpStatusCode.Unauthorized, me.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, block.StatusCode);
        Directory.Delete(keyRing, recursive: true);
    }

    [Fact]
    public async Task A_page_of_another_origin_cannot_use_the_operators_session_to_block_send_or_log_out()
    {
        using var browser = new SessionCookieClient(_dev.BaseUrl);
        await browser.LogInAsync("olivia", @operator: true);
        var sponsored = """{"jsonrpc":"2.0","id":1,"method":"sequencer_sendSponsoredTransaction","params":[{"to":"0x000000000000000000000000000000000000dEaD"}]}""";

        using var block = await browser.FromOtherOriginAsync(HttpMethod.Post, "/admin/api/block", BlockEve);
        using var blockAsJson = await browser.FromOtherOriginAsync(HttpMethod.Post, "/admin/api/block", BlockEve, "application/json");
        using var send = await browser.FromOtherOriginAsync(HttpMethod.Post, "/", sponsored);
        using var logout = await browser.FromOtherOriginAsync(HttpMethod.Post, "/auth/logout", null);

        Assert.Equal(HttpStatusCode.Forbidden, block.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, blockAsJson.StatusCode);
        var sendError = (await send.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error");
        Assert.Equal(-32003, sendError.GetProperty("code").GetInt32());
        Assert.Contains("this host's own pages", sendError.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, logout.StatusCode);
        using (var policy = await browser.GetAsync("/admin/api/policy"))
        {
            Assert.Equal(HttpStatusCode.OK, policy.StatusCode);
            Assert.DoesNotContain("dev:eve", await policy.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using var status = await browser.FromPageAsync(HttpMethod.Post, "/", """{"jsonrpc":"2.0","id":1,"method":"sequencer_getStatus"}""");
        Assert.Equal("0x0", (await status.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("result").GetProperty("head").GetProperty("nextSequence").GetString());

        // The same requests from the host's own page, as JSON, go through.
        using var ownBlock = await browser.FromPageAsync(HttpMethod.Post, "/admin/api/block", BlockEve);
        using var ownSend = await browser.FromPageAsync(HttpMethod.Post, "/", sponsored);
        Assert.Equal(HttpStatusCode.OK, ownBlock.StatusCode);
        Assert.True((await ownSend.Content.ReadFromJsonAsync<JsonElement>()).TryGetProperty("result", out _));
    }

    [Fact]
    public async Task After_logout_a_copy_of_the_session_cookie_no_longer_works()
    {
        using var browser = new SessionCookieClient(_dev.BaseUrl);
        await browser.LogInAsync("olivia", @operator: true);
        var copy = browser.Session!;
        using (var before = await browser.ReplayAsync(_dev.BaseUrl, copy, HttpMethod.Get, "/auth/me"))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        using var logout = await browser.ReplayAsync(_dev.BaseUrl, copy, HttpMethod.Post, "/auth/logout");
        Assert.Equal(HttpStatusCode.Redirect, logout.StatusCode);

        using var me = await browser.ReplayAsync(_dev.BaseUrl, copy, HttpMethod.Get, "/auth/me");
        using var policy = await browser.ReplayAsync(_dev.BaseUrl, copy, HttpMethod.Get, "/admin/api/policy");
        Assert.Equal(HttpStatusCode.Unauthorized, me.StatusCode);
        Assert.Contains("logged out", await me.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, policy.StatusCode);
    }

    [Theory]
    [InlineData("/\t/evil.example")]
    [InlineData("/\n/evil.example")]
    [InlineData("/\r\nSet-Cookie: x=y")]
    [InlineData("/\u2028evil")]
    [InlineData("/é")]
    [InlineData("/\\/evil.example")]
    [InlineData("//evil.example")]
    [InlineData("https://evil.example/")]
    public async Task Return_urls_that_could_leave_the_host_send_login_and_logout_to_the_app_page(string returnUrl)
    {
        using var browser = new SessionCookieClient(_dev.BaseUrl);

        var landed = await browser.LogInAsync("olivia", returnUrl: returnUrl);
        using var logout = await browser.ReplayAsync(_dev.BaseUrl, browser.Session!, HttpMethod.Post, "/auth/logout?returnUrl=" + Uri.EscapeDataString(returnUrl));

        Assert.Equal("/app", landed);
        Assert.Equal(HttpStatusCode.Redirect, logout.StatusCode);
        Assert.Equal("/app", logout.Headers.Location!.OriginalString);
    }
}
