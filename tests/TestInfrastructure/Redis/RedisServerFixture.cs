using Xunit;

namespace TestInfrastructure.Redis;

/// <summary>
/// One redis-server shared by every test class of a collection. Test projects declare
/// <c>[CollectionDefinition(RedisServerFixture.Collection)] class X : ICollectionFixture&lt;RedisServerFixture&gt;</c>.
/// </summary>
public sealed class RedisServerFixture : IAsyncLifetime
{
    public const string Collection = "redis-server";

    private RedisServer? _server;

    public RedisServer Server => _server ?? throw new InvalidOperationException("redis-server is not started");

    public async Task InitializeAsync() => _server = await RedisServer.StartAsync();

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
