using System.Net.Http.Json;
using System.Text.Json;
using TestInfrastructure.Processes;

namespace TestInfrastructure.Prometheus;

/// <summary>
/// A real Prometheus (Debian's package) on a free loopback port, with a configuration file the test wrote and its
/// own storage directory; stopped by PID on dispose. Queried through its HTTP API, as Grafana does.
/// </summary>
public sealed class PrometheusServer : IAsyncDisposable
{
    private readonly ManagedProcess _process;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };

    private PrometheusServer(ManagedProcess process, int port)
    {
        _process = process;
        BaseUrl = new Uri($"http://127.0.0.1:{port}/");
    }

    public Uri BaseUrl { get; }

    public string RecentOutput => _process.RecentOutput;

    /// <summary>Starts Prometheus with <paramref name="configFile"/>, storing its data under <paramref name="workDirectory"/>.</summary>
    public static async Task<PrometheusServer> StartAsync(string configFile, string workDirectory)
    {
        for (var attempt = 0; ; attempt++)
        {
            var port = FreePort.Next();
            var process = ManagedProcess.Start(ToolPaths.Prometheus,
            [
                $"--config.file={configFile}",
                $"--storage.tsdb.path={Path.Combine(workDirectory, "tsdb-" + port)}",
                $"--web.listen-address=127.0.0.1:{port}",
                "--log.level=warn",
            ], workDirectory, name: "prometheus");
            try
            {
                await FreePort.WaitUntilListeningAsync(port, TimeSpan.FromSeconds(30), () => !process.HasExited);
                var server = new PrometheusServer(process, port);
                await Eventually.UntilAsync(server.IsReadyAsync, TimeSpan.FromSeconds(60), "prometheus /-/ready");
                return server;
            }
            catch (Exception) when (attempt < 3 && process.HasExited)
            {
                // Most likely another process took the port between probing and binding; take a new one.
                await process.DisposeAsync();
            }
        }
    }

    /// <summary>The <c>data.result</c> array of an instant query.</summary>
    public async Task<JsonElement> QueryAsync(string promql)
    {
        var reply = await _http.GetFromJsonAsync<JsonElement>(new Uri(BaseUrl, "api/v1/query?query=" + Uri.EscapeDataString(promql)));
        if (reply.GetProperty("status").GetString() != "success")
        {
            throw new InvalidOperationException($"query {promql} failed: {reply.GetRawText()}");
        }

        return reply.GetProperty("data").GetProperty("result");
    }

    /// <summary>GET of an API path (e.g. <c>api/v1/rules</c>), its <c>data</c>.</summary>
    public async Task<JsonElement> ApiAsync(string path)
    {
        var reply = await _http.GetFromJsonAsync<JsonElement>(new Uri(BaseUrl, path));
        return reply.GetProperty("data");
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _process.DisposeAsync();
    }

    private async Task<bool> IsReadyAsync()
    {
        try
        {
            using var response = await _http.GetAsync(new Uri(BaseUrl, "-/ready"));
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }
}
