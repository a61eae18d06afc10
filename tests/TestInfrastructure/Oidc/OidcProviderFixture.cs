using Xunit;

namespace TestInfrastructure.Oidc;

/// <summary>
/// One oidc-provider shared by the test classes of a collection. Test projects declare
/// <c>[CollectionDefinition(OidcProviderFixture.Collection)] class X : ICollectionFixture&lt;OidcProviderFixture&gt;</c>.
/// </summary>
public sealed class OidcProviderFixture : IAsyncLifetime
{
    public const string Collection = "oidc-provider";

    private OidcProviderServer? _server;

    public OidcProviderServer Server => _server ?? throw new InvalidOperationException("oidc-provider is not started");

    public async Task InitializeAsync() => _server = await OidcProviderServer.StartAsync();

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
