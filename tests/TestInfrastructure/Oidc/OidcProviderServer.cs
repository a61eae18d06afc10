using System.Text.Json;
using TestInfrastructure.Processes;

namespace TestInfrastructure.Oidc;

/// <summary>
/// A real OpenID Connect provider (npm oidc-provider, tests/oidc-provider/server.mjs) on a free
/// loopback port, with the test clients and users. It can be restarted on the same port with new
/// signing keys, as a provider does when it rotates keys.
/// </summary>
public sealed class OidcProviderServer : IAsyncDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "oidc-provider-" + Guid.NewGuid().ToString("N"));
    private ManagedProcess? _process;

    private OidcProviderServer(int port, IReadOnlyList<OidcSigningKey> keys)
    {
        Port = port;
        SigningKeys = keys;
    }

    public int Port { get; }

    public string Issuer => $"http://127.0.0.1:{Port}";

    public string AuthorizationEndpoint => Issuer + "/auth";

    public string TokenEndpoint => Issuer + "/token";

    public string UserInfoEndpoint => Issuer + "/me";

    /// <summary>The published keys; the first one signs new tokens.</summary>
    public IReadOnlyList<OidcSigningKey> SigningKeys { get; private set; }

    public OidcSigningKey CurrentKey => SigningKeys[0];

    public string RecentOutput => _process?.RecentOutput ?? "";

    public static async Task<OidcProviderServer> StartAsync(OidcSigningKey? key = null)
    {
        key ??= OidcSigningKey.Create("test-key-1");
        for (var attempt = 0; ; attempt++)
        {
            var server = new OidcProviderServer(FreePort.Next(), [key]);
            try
            {
                await server.StartProcessAsync();
                return server;
            }
            catch (InvalidOperationException) when (attempt < 3)
            {
                // The port was taken between probing and binding; try another one.
                await server.DisposeAsync();
            }
        }
    }

    /// <summary>Stops the provider and starts it again on the same port, publishing <paramref name="keys"/>.</summary>
    public async Task RestartAsync(IReadOnlyList<OidcSigningKey> keys)
    {
        await StopProcessAsync();
        SigningKeys = keys;
        await StartProcessAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await StopProcessAsync();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private async Task StartProcessAsync()
    {
        Directory.CreateDirectory(_directory);
        var jwks = Path.Combine(_directory, "jwks.json");
        var clients = Path.Combine(_directory, "clients.json");
        var users = Path.Combine(_directory, "users.json");
        await File.WriteAllTextAsync(jwks, JsonSerializer.Serialize(new { keys = SigningKeys.Select(key => key.PrivateJwk()) }));
        await File.WriteAllTextAsync(clients, JsonSerializer.Serialize(OidcTestClient.All.Select(client => new Dictionary<string, object>
        {
            ["client_id"] = client.ClientId,
            ["client_secret"] = client.ClientSecret,
            ["token_endpoint_auth_method"] = client.TokenEndpointAuthMethod,
            // Native loopback clients match redirect URIs on any port (RFC 8252 7.3): the hosts under test pick free ports.
            ["application_type"] = "native",
            ["redirect_uris"] = client.RedirectPaths.Select(path => "http://127.0.0.1" + path).ToArray(),
            ["grant_types"] = new[] { "authorization_code" },
            ["response_types"] = new[] { "code" },
        })));
        await File.WriteAllTextAsync(users, JsonSerializer.Serialize(OidcTestUser.All.ToDictionary(
            user => user.Login,
            user => new { password = user.Password, claims = user.Claims })));

        _process = ManagedProcess.Start(
            ToolPaths.Node,
            [Path.Combine(ToolPaths.RepoRoot, "tests", "oidc-provider", "server.mjs")],
            environment: new Dictionary<string, string?>
            {
                ["OIDC_PORT"] = Port.ToString(),
                ["OIDC_JWKS_FILE"] = jwks,
                ["OIDC_CLIENTS_FILE"] = clients,
                ["OIDC_USERS_FILE"] = users,
                ["OIDC_NODE_MODULES"] = ToolPaths.ToolsNodeModules,
                ["NODE_ENV"] = "test",
            },
            name: "oidc-provider");
        await _process.WaitForOutputAsync(line => line.Contains("oidc-provider listening", StringComparison.Ordinal), TimeSpan.FromSeconds(30));
        await FreePort.WaitUntilListeningAsync(Port, TimeSpan.FromSeconds(10), () => !_process.HasExited);
    }

    private async Task StopProcessAsync()
    {
        if (_process is not null)
        {
            await _process.DisposeAsync();
            _process = null;
        }
    }
}
