using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Sequencer.Hosting;
using TestInfrastructure.Ethereum;

namespace Sequencer.Tests.Infrastructure;

/// <summary>
/// A real sequencer host (Kestrel on a free loopback port, WAL in a temp directory) inside the test
/// process. One per test class; <see cref="RestartAsync"/> stops and starts it on the same data.
/// </summary>
public class SequencerHostFixture : IAsyncLifetime
{
    public const ulong ChainId = 424242;

    /// <summary>The sequencer key the host is configured with (a test key; never a real one).</summary>
    public const string SequencerPrivateKey = "4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318";

    /// <summary>A test-only master secret for identity accounts (never a real one).</summary>
    public const string MasterSecret = "5e1a7c3b9d2f4e6a8c0b1d3f5a7c9e2b4d6f8a0c1e3b5d7f9a2c4e6b8d0f1a3c";

    private WebApplication? _app;

    public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), "seq-test-" + Guid.NewGuid().ToString("N"));

    public Uri RpcUrl { get; private set; } = null!;

    public Uri WebSocketUrl { get; private set; } = null!;

    public RpcTestClient Rpc { get; private set; } = null!;

    public WebApplication App => _app ?? throw new InvalidOperationException("not started");

    /// <summary>The address of <see cref="SequencerPrivateKey"/>, computed by Nethereum.</summary>
    public static string SequencerAddress { get; } = new Nethereum.Signer.EthECKey(SequencerPrivateKey).GetPublicAddress().ToLowerInvariant();

    /// <summary>
    /// The keys as settings: hosts built here run in Production (no environment is set), where the sequencer
    /// key and the master secret must be configured.
    /// </summary>
    public static string[] KeySettings => [$"--Sequencer:PrivateKey={SequencerPrivateKey}", $"--Admission:MasterSecret={MasterSecret}"];

    /// <summary>Extra configuration as command-line style pairs ("--Key=value").</summary>
    protected virtual IEnumerable<string> Settings => [];

    /// <summary>Extra service registrations (e.g. a test identity authenticator).</summary>
    protected virtual void ConfigureServices(IServiceCollection services)
    {
    }

    public async Task InitializeAsync() => await StartAsync();

    public async Task DisposeAsync()
    {
        await StopAsync();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    public async Task StartAsync(IEnumerable<string>? moreSettings = null)
    {
        string[] args =
        [
            "--Urls=http://127.0.0.1:0",
            $"--Sequencer:DataDirectory={DataDirectory}",
            .. KeySettings,
            "--Logging:LogLevel:Default=Warning",
            .. Settings,
            .. moreSettings ?? [],
        ];
        _app = SequencerApp.Build(args, ConfigureServices);
        await _app.StartAsync();
        var address = new Uri(_app.Urls.First());
        RpcUrl = new Uri($"http://127.0.0.1:{address.Port}/");
        WebSocketUrl = new Uri($"ws://127.0.0.1:{address.Port}/ws");
        Rpc?.Dispose();
        Rpc = new RpcTestClient(RpcUrl);
    }

    public async Task StopAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
            _app = null;
        }
    }

    public async Task RestartAsync(IEnumerable<string>? moreSettings = null)
    {
        await StopAsync();
        await StartAsync(moreSettings);
    }

    public TestWallet NewWallet(int seed) => TestWallet.FromSeed(seed, ChainId);
}
