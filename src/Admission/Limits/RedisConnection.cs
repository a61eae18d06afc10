using StackExchange.Redis;

namespace Admission.Limits;

/// <summary>
/// The one Redis connection admission shares (limits, policy, pub/sub). Configured to fail fast
/// while Redis is down (no command backlog), so a sponsored request is refused at once instead of
/// waiting, and to reconnect on its own every half second, so recovery needs no restart.
/// </summary>
internal sealed class RedisConnection : IDisposable
{
    private readonly Lazy<ConnectionMultiplexer> _multiplexer;

    // The prefix as a key made of bytes: a key prepended with it carries both parts and is written as one on the wire,
    // so a request's keys (about ten per sponsored admission) cost no string concatenation each.
    private readonly RedisKey _prefix;

    public RedisConnection(string configuration, string keyPrefix)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(configuration);
        KeyPrefix = keyPrefix;
        _prefix = System.Text.Encoding.UTF8.GetBytes(keyPrefix);
        var options = ConfigurationOptions.Parse(configuration);
        options.AbortOnConnectFail = false;
        options.BacklogPolicy = BacklogPolicy.FailFast;
        options.ReconnectRetryPolicy = new LinearRetry(500);
        options.ClientName ??= "rollup-sequencer-admission";
        _multiplexer = new Lazy<ConnectionMultiplexer>(() => ConnectionMultiplexer.Connect(options), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>Prepended to every key and channel, so several deployments can share one Redis.</summary>
    public string KeyPrefix { get; }

    public ConnectionMultiplexer Multiplexer => _multiplexer.Value;

    public bool IsConnected => Multiplexer.IsConnected;

    public IDatabase Database => Multiplexer.GetDatabase();

    public RedisKey Key(string name) => new RedisKey(name).Prepend(_prefix);

    public RedisChannel Channel(string name) => RedisChannel.Literal(KeyPrefix + name);

    /// <summary>
    /// True for the exceptions that mean "Redis cannot serve us right now": not only a lost connection or a
    /// timeout, but every error Redis answers with (OOM under maxmemory, READONLY replica, MISCONF, LOADING,
    /// BUSY script, …). A Redis that answers with errors is as unavailable as one that does not answer.
    /// </summary>
    public static bool IsUnavailable(Exception ex) =>
        ex is RedisException or RedisCommandException or TimeoutException or ObjectDisposedException;

    public void Dispose()
    {
        if (_multiplexer.IsValueCreated)
        {
            _multiplexer.Value.Dispose();
        }
    }
}
