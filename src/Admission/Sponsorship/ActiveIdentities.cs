using System.Collections.Concurrent;

namespace Admission.Sponsorship;

/// <summary>
/// Identities that sent a sponsored request on this replica within <see cref="Window"/>: one entry per identity with
/// the time it was last seen, pruned when the gauge is read. Bounded: beyond <see cref="MaxTracked"/> identities new
/// ones are not tracked until old ones age out (the gauge then reads the bound), so a flood of fresh identities
/// cannot grow memory without limit.
/// </summary>
internal sealed class ActiveIdentities(TimeProvider time)
{
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(5);

    public const int MaxTracked = 100_000;

    private readonly ConcurrentDictionary<string, long> _lastSeen = new(StringComparer.Ordinal);

    // The entries, counted apart: ConcurrentDictionary.Count takes every lock of the table, and this runs on every
    // sponsored request (it serialized the request path under load). Exact but for adds and removals in flight.
    private int _tracked;

    public void Seen(string identity)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        // An update of a known identity writes a long in place (no allocation); only a new one adds an entry.
        while (true)
        {
            if (_lastSeen.TryGetValue(identity, out var seen))
            {
                if (seen >= now || _lastSeen.TryUpdate(identity, now, seen))
                {
                    return;
                }
            }
            else if (Volatile.Read(ref _tracked) >= MaxTracked)
            {
                return;
            }
            else if (_lastSeen.TryAdd(identity, now))
            {
                Interlocked.Increment(ref _tracked);
                return;
            }
        }
    }

    /// <summary>Drops identities not seen within the window and counts the rest.</summary>
    public int Count()
    {
        var oldest = time.GetUtcNow().ToUnixTimeMilliseconds() - (long)Window.TotalMilliseconds;
        foreach (var (identity, seen) in _lastSeen)
        {
            if (seen < oldest && _lastSeen.TryRemove(new KeyValuePair<string, long>(identity, seen)))
            {
                Interlocked.Decrement(ref _tracked);
            }
        }

        return _lastSeen.Count;
    }
}
