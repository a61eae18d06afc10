using Admission.Limits;
using Admission.People;
using Admission.Tests.Limits;
using TestInfrastructure.Redis;

namespace Admission.Tests.People;

public sealed class EmbeddedPersonStoreTests : PersonStoreContract, IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "persons-" + Guid.NewGuid().ToString("N"));

    public EmbeddedPersonStoreTests() => Store = new EmbeddedPersonStore(TimeProvider.System, _directory);

    private protected override IPersonStore Store { get; }

    [Fact]
    public async Task Links_survive_a_restart()
    {
        var person = (await Store.LinkAsync("dev:a", "wallet:0x01", "person:p1", 16)).Person;

        var restarted = new EmbeddedPersonStore(TimeProvider.System, _directory);

        Assert.Equal(person, await restarted.PersonOfAsync("wallet:0x01"));
        Assert.Equal(["dev:a", "wallet:0x01"], await restarted.MembersAsync(person));
    }

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }
}

[Collection(RedisServerFixture.Collection)]
public sealed class RedisPersonStoreTests(RedisServerFixture redis) : PersonStoreContract, IDisposable
{
    private readonly RedisConnection _connection = new(redis.Server.ConnectionString, "person-store-test:");

    private protected override IPersonStore Store => new RedisPersonStore(_connection, TestRedis.Circuit());

    public void Dispose() => _connection.Dispose();
}
