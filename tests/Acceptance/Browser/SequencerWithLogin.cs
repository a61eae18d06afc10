using Microsoft.AspNetCore.Builder;
using Sequencer.Hosting;
using TestInfrastructure.Oidc;

namespace Acceptance.Browser;

/// <summary>
/// The real sequencer host (SequencerApp, Kestrel on a free loopback port) configured with the test
/// OIDC provider as login provider "test-oidc", and admission on its embedded stores.
/// </summary>
public sealed class SequencerWithLogin : IAsyncDisposable
{
    /// <summary>Test-only keys; never real ones.</summary>
    private const string SequencerPrivateKey = "4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318";
    private const string MasterSecret = "6f0e4b1c2a3d5e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f7";

    public const string AdminKey = "test-admin-key-0123456789-abcdefghijklmnop";

    private readonly WebApplication _app;
    private readonly string _dataDirectory;

    private SequencerWithLogin(WebApplication app, string dataDirectory, Uri baseUrl)
    {
        _app = app;
        _dataDirectory = dataDirectory;
        BaseUrl = baseUrl;
    }

    public Uri BaseUrl { get; }

    public string Url(string path) => new Uri(BaseUrl, path).ToString();

    /// <summary>With the test provider as login provider "test-oidc"; <paramref name="settings"/> ("--Key=value") go after the defaults here.</summary>
    public static async Task<SequencerWithLogin> StartAsync(OidcProviderServer provider, params string[] settings) => await StartHostAsync(provider, settings);

    /// <summary>As after `dotnet run` on a developer machine: Development, the dev identity provider and nothing else.</summary>
    public static async Task<SequencerWithLogin> StartDevelopmentAsync(params string[] settings) => await StartHostAsync(null, ["--environment=Development", .. settings]);

    /// <summary>Production with no login provider (only the admin key and Bearer-less operators); <paramref name="settings"/> go after the defaults.</summary>
    public static async Task<SequencerWithLogin> StartProductionAsync(params string[] settings) => await StartHostAsync(null, ["--environment=Production", .. settings], productionSecrets: true);

    private static async Task<SequencerWithLogin> StartHostAsync(OidcProviderServer? provider, string[] more, bool productionSecrets = false)
    {
        var data = Path.Combine(Path.GetTempPath(), "seq-login-" + Guid.NewGuid().ToString("N"));
        const string at = "--Admission:Identity:Providers:test-oidc";
        string[] args =
        [
            "--Urls=http://127.0.0.1:0",
            $"--Sequencer:DataDirectory={data}",
            $"--Sequencer:PrivateKey={SequencerPrivateKey}",
            "--Logging:LogLevel:Default=Warning",
        ];
        string[] login = provider is null ? [] :
        [
            $"{at}:Kind=Oidc",
            $"{at}:DisplayName=Test provider",
            $"{at}:Authority={provider.Issuer}",
            $"{at}:RequireHttpsMetadata=false",
            $"{at}:ClientId={OidcTestClient.Sequencer.ClientId}",
            $"{at}:ClientSecret={OidcTestClient.Sequencer.ClientSecret}",
            $"{at}:Scopes:0=profile",
        ];
        // Development is left to generate its own master secret, as on a developer's machine.
        string[] admission = provider is null && !productionSecrets ? [] :
        [
            $"--Admission:MasterSecret={MasterSecret}",
            $"--Admission:AdminApiKey={AdminKey}",
            $"--Admission:DataDirectory={data}",
        ];
        var app = SequencerApp.Build([.. args, .. login, .. admission, .. more]);
        await app.StartAsync();
        var port = new Uri(app.Urls.First()).Port;
        return new SequencerWithLogin(app, data, new Uri($"http://127.0.0.1:{port}/"));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
