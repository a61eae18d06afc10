using Admission.Limits;
using StackExchange.Redis;

namespace Admission.People;

/// <summary>
/// Persons shared by every replica: <c>person:of:{identity}</c> names an identity's person, <c>person:members:{person}</c>
/// is the set of its logins and wallets. Linking and unlinking are each one Lua script, so two replicas linking the same
/// login at once cannot both win. The members key is computed inside the script (Redis Cluster is not supported anyway,
/// see "Limits"). Calls go through the limiter's <see cref="RedisCircuit"/>. Nonces are keys with a time to live, taken with GETDEL so each is used once.
/// </summary>
internal sealed class RedisPersonStore(RedisConnection redis, RedisCircuit circuit) : IPersonStore
{
    /// <summary>The connection the persons live in (a <see cref="RedisRateLimitStore"/> on it looks them up itself).</summary>
    internal RedisConnection Connection => redis;

    // KEYS: of:caller, of:joining. ARGV: caller, joining, new person, key prefix, max members.
    // Returns {status, person, joined...}: 1 linked, 2 already linked, 3 other person, 4 full.
    private const string LinkScript = """
        local mine = redis.call('GET', KEYS[1])
        local theirs = redis.call('GET', KEYS[2])
        if mine and theirs then
          if mine == theirs then return {2, theirs} end
          return {3, theirs}
        end
        local person = mine or theirs or ARGV[3]
        local members = ARGV[4] .. 'person:members:' .. person
        local joined = {}
        if not mine then joined[#joined + 1] = 1 end
        if not theirs then joined[#joined + 1] = 2 end
        if redis.call('SCARD', members) + #joined > tonumber(ARGV[5]) then return {4, person} end
        local result = {1, person}
        for _, i in ipairs(joined) do
          redis.call('SET', KEYS[i], person)
          redis.call('SADD', members, ARGV[i])
          result[#result + 1] = ARGV[i]
        end
        return result
        """;

    // KEYS: of:caller, of:leaving. ARGV: leaving, key prefix. Returns {} when not one person, else {person, left...}.
    private const string UnlinkScript = """
        local person = redis.call('GET', KEYS[1])
        if not person or redis.call('GET', KEYS[2]) ~= person then return {} end
        local members = ARGV[2] .. 'person:members:' .. person
        redis.call('DEL', KEYS[2])
        redis.call('SREM', members, ARGV[1])
        local rest = redis.call('SMEMBERS', members)
        if #rest == 1 then
          redis.call('DEL', ARGV[2] .. 'person:of:' .. rest[1])
          redis.call('DEL', members)
          return {person, ARGV[1], rest[1]}
        end
        return {person, ARGV[1]}
        """;

    public async ValueTask<string?> PersonOfAsync(string identityKey, CancellationToken cancellationToken = default) =>
        await RunAsync(db => db.StringGetAsync(redis.Key(PersonKeys.Of(identityKey)))).ConfigureAwait(false) is { IsNull: false } person
            ? (string?)person
            : null;

    public async ValueTask<IReadOnlyList<string>> MembersAsync(string person, CancellationToken cancellationToken = default)
    {
        var members = await RunAsync(db => db.SetMembersAsync(redis.Key(PersonKeys.Members(person)))).ConfigureAwait(false);
        var list = new List<string>(members.Length);
        foreach (var member in members)
        {
            list.Add(member!);
        }

        list.Sort(StringComparer.Ordinal);
        return list;
    }

    public async ValueTask<LinkOutcome> LinkAsync(string identityKey, string joiningKey, string newPerson, int maxMembers, CancellationToken cancellationToken = default)
    {
        var result = (RedisResult[])(await RunAsync(db => db.ScriptEvaluateAsync(
            LinkScript,
            [redis.Key(PersonKeys.Of(identityKey)), redis.Key(PersonKeys.Of(joiningKey))],
            [identityKey, joiningKey, newPerson, redis.KeyPrefix, maxMembers])).ConfigureAwait(false))!;
        var status = (long)result[0] switch
        {
            1 => LinkStatus.Linked,
            2 => LinkStatus.AlreadyLinked,
            3 => LinkStatus.OtherPerson,
            _ => LinkStatus.Full,
        };
        var joined = new List<string>();
        for (var i = 2; i < result.Length; i++)
        {
            joined.Add((string)result[i]!);
        }

        return new LinkOutcome(status, (string)result[1]!, joined);
    }

    public async ValueTask<UnlinkOutcome> UnlinkAsync(string callerKey, string leavingKey, CancellationToken cancellationToken = default)
    {
        var result = (RedisResult[])(await RunAsync(db => db.ScriptEvaluateAsync(
            UnlinkScript,
            [redis.Key(PersonKeys.Of(callerKey)), redis.Key(PersonKeys.Of(leavingKey))],
            [leavingKey, redis.KeyPrefix])).ConfigureAwait(false))!;
        if (result.Length == 0)
        {
            return new UnlinkOutcome(null, []);
        }

        var left = new List<string>();
        for (var i = 1; i < result.Length; i++)
        {
            left.Add((string)result[i]!);
        }

        return new UnlinkOutcome((string)result[0]!, left);
    }

    public async ValueTask AddNonceAsync(string nonce, string ownerKey, DateTimeOffset expiresAt, CancellationToken cancellationToken = default)
    {
        var ttl = expiresAt - DateTimeOffset.UtcNow;
        await RunAsync(db => db.StringSetAsync(redis.Key(PersonKeys.Nonce(nonce)), ownerKey, ttl > TimeSpan.Zero ? ttl : TimeSpan.FromMilliseconds(1))).ConfigureAwait(false);
    }

    public async ValueTask<string?> TakeNonceAsync(string nonce, CancellationToken cancellationToken = default) =>
        await RunAsync(db => db.StringGetDeleteAsync(redis.Key(PersonKeys.Nonce(nonce)))).ConfigureAwait(false) is { IsNull: false } owner ? (string?)owner : null;

    // Through the limiter's circuit: the person lookup is on every sponsored request, so it waits no longer than a limit does.
    private async Task<T> RunAsync<T>(Func<IDatabase, Task<T>> call)
    {
        var (available, value) = await circuit.RunAsync(redis.Database, static (database, call) => call(database), call, CancellationToken.None).ConfigureAwait(false);
        return available ? value : throw new RateLimitStoreUnavailableException("the person store (Redis) is unavailable");
    }
}
