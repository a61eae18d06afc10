using System.Net.Http.Json;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Sequencer.Hosting;
using Sequencer.Tests.Infrastructure;

namespace Sequencer.Tests.Hosting;

/// <summary>
/// A JSON-RPC POST does not go through the authentication middleware: its methods authenticate per call, and the
/// middleware's session-cookie handler (the only scheme by default, so the default one) ran on every paid
/// transaction for a result nothing read (docs/benchmarks.md, "What the tail trace found"). The other endpoints
/// still get it: remote login handlers answer their callback paths from it.
/// </summary>
public sealed class RpcPostSkipsAuthenticationMiddlewareTests
{
    [Fact]
    public async Task Json_rpc_posts_skip_the_middleware_and_other_requests_still_pass_through_it()
    {
        var data = Path.Combine(Path.GetTempPath(), "seq-authskip-" + Guid.NewGuid().ToString("N"));
        try
        {
            await using var app = SequencerApp.Build(
                ["--Urls=http://127.0.0.1:0", $"--Sequencer:DataDirectory={data}", .. SequencerHostFixture.KeySettings, "--Logging:LogLevel:Default=None"],
                services => services.AddSingleton<IAuthenticationSchemeProvider, CountingSchemeProvider>());
            await app.StartAsync();
            var schemes = (CountingSchemeProvider)app.Services.GetRequiredService<IAuthenticationSchemeProvider>();
            using var http = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };

            for (var i = 0; i < 3; i++)
            {
                using var rpc = await http.PostAsJsonAsync("/", new { jsonrpc = "2.0", id = i, method = "eth_chainId", @params = Array.Empty<object>() });
                Assert.Contains("\"result\"", await rpc.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            }

            Assert.Equal(0, schemes.MiddlewareLookups);

            using var providers = await http.GetAsync("/auth/providers");
            Assert.True(providers.IsSuccessStatusCode, providers.StatusCode.ToString());
            Assert.True(schemes.MiddlewareLookups >= 1, "the authentication middleware no longer runs for the login endpoints");
            await app.StopAsync();
        }
        finally
        {
            if (Directory.Exists(data))
            {
                Directory.Delete(data, recursive: true);
            }
        }
    }

    /// <summary>Counts the authentication middleware's per-request look-up of the handlers that answer callback paths.</summary>
    private sealed class CountingSchemeProvider(IOptions<AuthenticationOptions> options) : AuthenticationSchemeProvider(options)
    {
        private int _lookups;

        public int MiddlewareLookups => Volatile.Read(ref _lookups);

        public override Task<IEnumerable<AuthenticationScheme>> GetRequestHandlerSchemesAsync()
        {
            Interlocked.Increment(ref _lookups);
            return base.GetRequestHandlerSchemesAsync();
        }
    }
}
