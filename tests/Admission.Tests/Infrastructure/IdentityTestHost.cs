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

    private IdentityTestHost(WebApplication app, Uri baseUrl)
    {
        _app = app;
        BaseUrl = baseUrl;
    }

    public Uri BaseUrl { get; }

    public IServiceProvider Services => _app.Services;

    public Uri Url(string pathAndQuery) => new(BaseUrl, pathAndQuery);

    public static async Task<IdentityTestHost> StartAsync(IEnumerable<string> settings, string environment = "Production")
    {
        string[] args = ["--Urls=http://127.0.0.1:0", "--Logging:LogLevel:Default=Warning", .. settings];
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = args, EnvironmentName = environment });
        builder.Services.AddAdmissionIdentity(builder.Configuration, builder.Environment);
        var app = builder.Build();
        app.MapAdmissionLogin();
        app.MapAdmissionPages();
        await app.StartAsync();
        var port = new Uri(app.Urls.First()).Port;
        return new IdentityTestHost(app, new Uri($"http://127.0.0.1:{port}/"));
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
    }
}
