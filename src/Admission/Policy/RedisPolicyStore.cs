using System.Text.Json;
using Admission.Limits;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Admission.Policy;

/// <summary>
/// The policy shared by all replicas: kept in Redis, changed with a compare-and-set on its version
/// (a Lua script, so the check, the write, the audit entry and the notice are one step), and
/// announced on a pub/sub channel so every replica loads it at once. A replica that missed notices
/// while disconnected reloads when its connection comes back.
/// </summary>
internal sealed partial class RedisPolicyStore(RedisConnection redis, ILogger<RedisPolicyStore> logger) : IPolicyStore
{
    private const int AuditKept = 1000;

    // KEYS: policy json, version, audit list. ARGV: expected version, new version, json, audit entry, entries kept, channel.
    private const string WriteScript = """
        local current = tonumber(redis.call('GET', KEYS[2]) or '-1')
        if current ~= tonumber(ARGV[1]) then return {0, current} end
        redis.call('SET', KEYS[1], ARGV[3])
        redis.call('SET', KEYS[2], ARGV[2])
        redis.call('LPUSH', KEYS[3], ARGV[4])
        redis.call('LTRIM', KEYS[3], 0, tonumber(ARGV[5]) - 1)
        redis.call('PUBLISH', ARGV[6], ARGV[2])
        return {1, tonumber(ARGV[2])}
        """;

    // Stores the configured policy when Redis holds none or an older one. ARGV: version, json, audit entry, channel.
    private const string SeedScript = """
        local current = tonumber(redis.call('GET', KEYS[2]) or '-1')
        if current < tonumber(ARGV[1]) then
          redis.call('SET', KEYS[1], ARGV[2])
          redis.call('SET', KEYS[2], ARGV[1])
          redis.call('LPUSH', KEYS[3], ARGV[3])
          redis.call('PUBLISH', ARGV[4], ARGV[1])
          return ARGV[2]
        end
        return redis.call('GET', KEYS[1])
        """;

    private AdmissionPolicy? _initial;
    private PolicyHolder? _holder;
    private int _subscribed;

    private RedisKey[] Keys => [redis.Key("policy:json"), redis.Key("policy:version"), redis.Key("policy:audit")];

    private RedisChannel Channel => redis.Channel("policy:changed");

    public async Task StartAsync(AdmissionPolicy initial, PolicyHolder holder, CancellationToken cancellationToken)
    {
        _initial = initial;
        _holder = holder;
        redis.Multiplexer.ConnectionRestored += (_, _) => _ = SeedAndLoadAsync();
        await SeedAndLoadAsync().ConfigureAwait(false);
    }

    public async Task<PolicyWriteResult> TryWriteAsync(AdmissionPolicy next, long expectedVersion, AuditEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(next);
        try
        {
            var result = (RedisResult[])(await redis.Database.ScriptEvaluateAsync(
                WriteScript,
                Keys,
                [expectedVersion, next.Version, next.ToJson(), JsonSerializer.Serialize(entry, AuditJsonContext.Default.AuditEntry), AuditKept, Channel.ToString()]).ConfigureAwait(false))!;
            return (long)result[0] == 1
                ? new PolicyWriteResult(PolicyWriteStatus.Written, next.Version)
                : new PolicyWriteResult(PolicyWriteStatus.Conflict, (long)result[1]);
        }
        catch (Exception ex) when (RedisConnection.IsUnavailable(ex))
        {
            return new PolicyWriteResult(PolicyWriteStatus.Unavailable, -1);
        }
    }

    public async Task AppendAuditAsync(AuditEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        try
        {
            var batch = redis.Database.CreateTransaction();
            _ = batch.ListLeftPushAsync(Keys[2], JsonSerializer.Serialize(entry, AuditJsonContext.Default.AuditEntry));
            _ = batch.ListTrimAsync(Keys[2], 0, AuditKept - 1);
            await batch.ExecuteAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (RedisConnection.IsUnavailable(ex))
        {
            throw new RateLimitStoreUnavailableException("Redis is unreachable", ex);
        }
    }

    public async Task<IReadOnlyList<AuditEntry>> ReadAuditAsync(int count, CancellationToken cancellationToken)
    {
        RedisValue[] lines;
        try
        {
            lines = await redis.Database.ListRangeAsync(Keys[2], 0, count - 1).ConfigureAwait(false);
        }
        catch (Exception ex) when (RedisConnection.IsUnavailable(ex))
        {
            throw new RateLimitStoreUnavailableException("Redis is unreachable", ex);
        }

        var entries = new List<AuditEntry>(lines.Length);
        foreach (var line in lines)
        {
            if (JsonSerializer.Deserialize((string)line!, AuditJsonContext.Default.AuditEntry) is { } entry)
            {
                entries.Add(entry);
            }
        }

        return entries;
    }

    // Also run on every reconnect: a replica that started while Redis was down subscribes late,
    // and one that was cut off catches up on the changes it did not hear about.
    private async Task SeedAndLoadAsync()
    {
        var initial = _initial!;
        try
        {
            if (Interlocked.CompareExchange(ref _subscribed, 1, 0) == 0)
            {
                try
                {
                    await redis.Multiplexer.GetSubscriber().SubscribeAsync(Channel, (_, _) => _ = LoadAsync()).ConfigureAwait(false);
                }
                catch
                {
                    Volatile.Write(ref _subscribed, 0);
                    throw;
                }
            }

            var seedEntry = new AuditEntry(DateTimeOffset.UtcNow.ToString("O"), "configuration", "policy.seed", -1, initial.Version, ["policy loaded from configuration"]);
            var json = (string?)await redis.Database.ScriptEvaluateAsync(
                SeedScript,
                Keys,
                [initial.Version, initial.ToJson(), JsonSerializer.Serialize(seedEntry, AuditJsonContext.Default.AuditEntry), Channel.ToString()]).ConfigureAwait(false);
            Apply(json);
        }
        catch (Exception ex) when (RedisConnection.IsUnavailable(ex))
        {
            LogUnavailable(logger, _holder!.Current.Version);
        }
    }

    private async Task LoadAsync()
    {
        try
        {
            Apply(await redis.Database.StringGetAsync(Keys[0]).ConfigureAwait(false));
        }
        catch (Exception ex) when (RedisConnection.IsUnavailable(ex))
        {
            LogUnavailable(logger, _holder!.Current.Version);
        }
    }

    private void Apply(string? json)
    {
        if (json is null)
        {
            return;
        }

        if (!PolicyParser.TryParse(json, out var policy, out var errors))
        {
            LogInvalid(logger, string.Join("; ", errors));
            return;
        }

        if (_holder!.Offer(policy!))
        {
            LogLoaded(logger, policy!.Version);
        }
    }

    [LoggerMessage(EventId = 410, Level = LogLevel.Information, Message = "Admission policy v{Version} loaded from Redis")]
    private static partial void LogLoaded(ILogger logger, long version);

    [LoggerMessage(EventId = 411, Level = LogLevel.Warning, Message = "Redis unreachable while loading the admission policy; keeping v{Version} until it is back")]
    private static partial void LogUnavailable(ILogger logger, long version);

    [LoggerMessage(EventId = 412, Level = LogLevel.Error, Message = "The admission policy stored in Redis is invalid and was ignored: {Errors}")]
    private static partial void LogInvalid(ILogger logger, string errors);
}
