using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Acceptance.Browser;

namespace Acceptance.Security;

/// <summary>The host's HTTP hardening, over HTTP: forwarded headers, reply headers, /metrics, the public status.</summary>
public sealed class HostHardeningTests
{
    private const string MetricsToken = "metrics-token-6f0e4b1c2a3d5e7f8091a2b3c4d5e6f7";

    [Fact]
    public async Task Behind_a_configured_tls_proxy_x_forwarded_proto_makes_the_login_cookies_secure_and_from_anyone_else_it_is_ignored()
    {
        await using var proxied = await SequencerWithLogin.StartDevelopmentAsync(
            "--Sequencer:ForwardedHeaders:Enabled=true", "--Sequencer:ForwardedHeaders:KnownProxies:0=127.0.0.1");
        await using var direct = await SequencerWithLogin.StartDevelopmentAsync();
        await using var otherProxy = await SequencerWithLogin.StartDevelopmentAsync(
            "--Sequencer:ForwardedHeaders:Enabled=true", "--Sequencer:ForwardedHeaders:KnownProxies:0=10.9.8.7");

        var viaProxy = await LoginCookiesAsync(proxied);
        var notEnabled = await LoginCookiesAsync(direct);
        var untrusted = await LoginCookiesAsync(otherProxy);

        Assert.NotEmpty(viaProxy);
        Assert.All(viaProxy, cookie => Assert.Contains("; secure", cookie, StringComparison.OrdinalIgnoreCase));
        Assert.All(notEnabled, cookie => Assert.DoesNotContain("; secure", cookie, StringComparison.OrdinalIgnoreCase));
        Assert.All(untrusted, cookie => Assert.DoesNotContain("; secure", cookie, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task Api_replies_are_nosniff_and_no_store()
    {
        await using var host = await SequencerWithLogin.StartDevelopmentAsync();
        using var http = new HttpClient();

        using var rpc = await http.PostAsync(host.Url("/"), Json("""{"jsonrpc":"2.0","id":1,"method":"eth_chainId"}"""));
        using var me = await http.GetAsync(host.Url("/auth/me"));
        using var admin = await http.GetAsync(host.Url("/admin/api/policy"));
        using var page = await http.GetAsync(host.Url("/app"));

        foreach (var reply in new[] { rpc, me, admin })
        {
            Assert.Equal("nosniff", reply.Headers.GetValues("X-Content-Type-Options").Single());
            Assert.True(reply.Headers.CacheControl?.NoStore, $"{reply.RequestMessage!.RequestUri}: Cache-Control {reply.Headers.CacheControl}");
        }

        Assert.Equal("nosniff", page.Headers.GetValues("X-Content-Type-Options").Single());
    }

    [Fact]
    public async Task With_a_metrics_token_configured_metrics_need_it()
    {
        var tokenFile = Path.GetTempFileName();
        await File.WriteAllTextAsync(tokenFile, MetricsToken + "\n");
        await using var host = await SequencerWithLogin.StartDevelopmentAsync($"--Telemetry:MetricsBearerTokenFile={tokenFile}");
        using var http = new HttpClient();

        using var anonymous = await http.GetAsync(host.Url("/metrics"));
        using var wrong = await ScrapeAsync(http, host, "not-the-token");
        using var right = await ScrapeAsync(http, host, MetricsToken);

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
        Assert.Contains("# TYPE", await right.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        File.Delete(tokenFile);
    }

    [Fact]
    public async Task A_weak_metrics_token_stops_the_host_naming_the_setting()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => SequencerWithLogin.StartDevelopmentAsync("--Telemetry:MetricsBearerToken=short"));

        Assert.Contains("Telemetry:MetricsBearerToken", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("short", error.Message.Replace("shorter", "", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_public_status_names_no_absolute_path()
    {
        await using var host = await SequencerWithLogin.StartDevelopmentAsync();
        using var http = new HttpClient();

        using var reply = await http.PostAsync(host.Url("/"), Json("""{"jsonrpc":"2.0","id":1,"method":"sequencer_getStatus"}"""));
        var body = await reply.Content.ReadAsStringAsync();

        Assert.Contains("\"directory\":\"wal\"", body, StringComparison.Ordinal);
        Assert.DoesNotContain(Path.GetTempPath().TrimEnd('/'), body, StringComparison.Ordinal);
    }

    private static async Task<List<string>> LoginCookiesAsync(SequencerWithLogin host)
    {
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false });
        using var request = new HttpRequestMessage(HttpMethod.Get, host.Url("/auth/login/dev?returnUrl=/app"));
        request.Headers.Add("X-Forwarded-Proto", "https");
        request.Headers.Add("X-Forwarded-For", "203.0.113.7");
        using var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return response.Headers.TryGetValues("Set-Cookie", out var cookies) ? [.. cookies] : [];
    }

    private static async Task<HttpResponseMessage> ScrapeAsync(HttpClient http, SequencerWithLogin host, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, host.Url("/metrics"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await http.SendAsync(request);
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");
}
