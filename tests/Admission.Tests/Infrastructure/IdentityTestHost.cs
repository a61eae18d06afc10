using Admission.Identity;
using Admission.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using TestInfrastructure.Oidc;

namespace Admission.Tests.Infrastructure;

/// <summary>
/// A Kestrel host on a free loopback port with only the identity parts mapped (login, /auth/me),
/// configured like the sequencer: providers under Admission:Identity:Providers.
/// </summary>
public sealed class IdentityTestHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly string _dataDirectory;

    private IdentityTestHost(WebApplication app, Uri baseUrl, string dataDirectory)
    {
        _app = app;
        BaseUrl = baseUrl;
        _dataDirectory = dataDirectory;
    }

    public Uri BaseUrl { get; }

    public IServiceProvider Services => _app.Services;

    public Uri Url(string pathAndQuery) => new(BaseUrl, pathAndQuery);

    /// <param name="settings">"--Key=value" configuration pairs.</param>
    /// <param name="environment">The host environment (the dev provider is on in Development).</param>
    /// <param name="configureServices">Registrations before the host's own (e.g. a clock the test moves).</param>
    public static async Task<IdentityTestHost> StartAsync(IEnumerable<string> settings, string environment = "Production", Action<IServiceCollection>? configureServices = null)
    {
        // Each host keeps its session key ring in its own directory unless a test shares one on purpose.
        var data = Path.Combine(Path.GetTempPath(), "identity-host-" + Guid.NewGuid().ToString("N"));
        string[] args = ["--Urls=http://127.0.0.1:0", "--Logging:LogLevel:Default=Warning", $"--Admission:DataDirectory={data}", .. settings];
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = args, EnvironmentName = environment });
        configureServices?.Invoke(builder.Services);
        builder.Services.AddAdmissionIdentity(builder.Configuration, builder.Environment);
        var app = builder.Build();
        app.MapAdmissionLogin();
        app.MapAdmissionPages();
        await app.StartAsync();
        var port = new Uri(app.Urls.First()).Port;
        return new IdentityTestHost(app, new Uri($"http://127.0.0.1:{port}/"), data);
    }

    /// <summary>Settings for the test provider as an OIDC provider named "test-oidc" (login and Bearer tokens).</summary>
    public static IEnumerable<string> OidcProvider(OidcProviderServer provider, string name = "test-oidc", int keyRefreshMinSeconds = 300)
    {
        var at = "--Admission:Identity:Providers:" + name;
        return
        [
            $"{at}:Kind=Oidc",
            $"{at}:Authority={provider.Issuer}",
            $"{at}:RequireHttpsMetadata=false",
            $"{at}:ClientId={OidcTestClient.Sequencer.ClientId}",
            $"{at}:ClientSecret={OidcTestClient.Sequencer.ClientSecret}",
            $"{at}:Scopes:0=profile",
            $"{at}:KeyRefreshMinSeconds={keyRefreshMinSeconds}",
        ];
    }

    /// <summary>
    /// Settings for a plain OAuth provider (X or Facebook style) whose endpoints are the test
    /// provider's: the same handler code as in production, only the URLs differ.
    /// </summary>
    public static IEnumerable<string> OAuthProvider(OidcProviderServer provider, string name, OidcTestClient client, string issuer)
    {
        var at = "--Admission:Identity:Providers:" + name;
        return
        [
            $"{at}:Kind=OAuth",
            $"{at}:Issuer={issuer}",
            $"{at}:ClientId={client.ClientId}",
            $"{at}:ClientSecret={client.ClientSecret}",
            $"{at}:TokenEndpointAuthMethod={client.TokenEndpointAuthMethod}",
            $"{at}:AuthorizationEndpoint={provider.AuthorizationEndpoint}",
            $"{at}:TokenEndpoint={provider.TokenEndpoint}",
            $"{at}:UserInformationEndpoint={provider.UserInfoEndpoint}",
            $"{at}:Scopes:0=openid",
            $"{at}:Scopes:1=profile",
            $"{at}:UserInfoClaims:sub=sub",
            $"{at}:UserInfoClaims:verified=verified",
            $"{at}:UserInfoClaims:created_at=created_at",
            $"{at}:UserInfoClaims:followers_count=followers_count",
            $"{at}:UserInfoClaims:name=name",
        ];
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }
}
