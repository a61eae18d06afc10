namespace Admission.Identity.Sessions;

/// <summary>
/// Sessions of a single host, in memory: a restart ends every session (fail safe: a revoked session
/// can never come back). Expired records are swept as the table grows; beyond <see cref="MaxSessions"/>
/// live sessions the ones closest to their end are dropped first, so logins cannot grow memory without bound.
/// </summary>
internal sealed class EmbeddedSessionStore(TimeProvider time) : ISessionStore
{
    public const int MaxSessions = 100_000;
    private const int MinSweepSize = 1024;

    private readonly Lock _lock = new();
    private readonly Dictionary<string, Entry> _sessions = new(StringComparer.Ordinal);
    private int _sweepAt = MinSweepSize;

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _sessions.Count;
            }
        }
    }

    public ValueTask<SessionStoreStatus> AddAsync(string sessionId, string identityKey, DateTimeOffset expiresAt, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        lock (_lock)
        {
            if (_sessions.Count >= _sweepAt)
            {
                Sweep(now);
            }

            _sessions[sessionId] = new Entry(identityKey, expiresAt);
        }

        return ValueTask.FromResult(SessionStoreStatus.Ok);
    }

    public ValueTask<SessionStoreStatus> CheckAsync(string sessionId, string identityKey, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        lock (_lock)
        {
            return ValueTask.FromResult(_sessions.TryGetValue(sessionId, out var entry) && entry.ExpiresAt > now && string.Equals(entry.IdentityKey, identityKey, StringComparison.Ordinal)
                ? SessionStoreStatus.Ok
                : SessionStoreStatus.Unknown);
        }
    }

    public ValueTask<SessionStoreStatus> RemoveAsync(string sessionId, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            _sessions.Remove(sessionId);
        }

        return ValueTask.FromResult(SessionStoreStatus.Ok);
    }

    private void Sweep(DateTimeOffset now)
    {
        var ended = new List<string>();
        foreach (var (id, entry) in _sessions)
        {
            if (entry.ExpiresAt <= now)
            {
                ended.Add(id);
            }
        }

        foreach (var id in ended)
        {
            _sessions.Remove(id);
        }

        if (_sessions.Count >= MaxSessions)
        {
            // Rare (a flood of logins): drop the quarter closest to their end rather than refuse every new login.
            var oldest = _sessions.OrderBy(pair => pair.Value.ExpiresAt).Take(_sessions.Count - (MaxSessions * 3 / 4)).Select(pair => pair.Key).ToList();
            foreach (var id in oldest)
            {
                _sessions.Remove(id);
            }
        }

        _sweepAt = Math.Clamp(_sessions.Count * 2, MinSweepSize, MaxSessions);
    }

    private readonly record struct Entry(string IdentityKey, DateTimeOffset ExpiresAt);
}
