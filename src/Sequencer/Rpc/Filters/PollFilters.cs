using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json;
using Primitives;

namespace Sequencer.Rpc.Filters;

/// <summary>What a polling filter watches.</summary>
internal enum FilterKind
{
    Blocks,
    PendingTransactions,
    Logs,
}

/// <summary>One installed filter: where its last poll ended, and when it was last polled.</summary>
internal sealed class PollFilter(FilterKind kind, ulong nextBlock, long nextSequence, JsonElement? criteria, long polledAt)
{
    public FilterKind Kind { get; } = kind;

    /// <summary>The first block the next poll reports (blocks and logs filters).</summary>
    public ulong NextBlock { get; set; } = nextBlock;

    /// <summary>The first sequence the next poll reports (pending transactions filters).</summary>
    public long NextSequence { get; set; } = nextSequence;

    /// <summary>A logs filter's criteria (address, topics, fromBlock, toBlock), a copy owned by the filter.</summary>
    public JsonElement? Criteria { get; } = criteria;

    public long PolledAt { get; set; } = polledAt;

    /// <summary>One poll at a time per filter, so two polls never report the same changes.</summary>
    public SemaphoreSlim Gate { get; } = new(1, 1);
}

/// <summary>
/// The installed filters: at most <see cref="MaxFilters"/>, each removed when not polled for <see cref="Expiry"/>
/// (geth's 5 minutes). Expired filters are swept when filters are created or polled, so nothing runs in between.
/// </summary>
internal sealed class PollFilters(TimeProvider time)
{
    public const int MaxFilters = 10_000;

    public static readonly TimeSpan Expiry = TimeSpan.FromMinutes(5);

    private readonly ConcurrentDictionary<string, PollFilter> _filters = new(StringComparer.OrdinalIgnoreCase);

    public int Count => _filters.Count;

    /// <summary>Installs a filter and returns its id, or null when <see cref="MaxFilters"/> are installed.</summary>
    public string? Add(FilterKind kind, ulong nextBlock, long nextSequence, JsonElement? criteria)
    {
        Sweep();
        if (_filters.Count >= MaxFilters)
        {
            return null;
        }

        var id = Hex.Encode(RandomNumberGenerator.GetBytes(16));
        _filters[id] = new PollFilter(kind, nextBlock, nextSequence, criteria, time.GetTimestamp());
        return id;
    }

    public PollFilter? Get(string id)
    {
        Sweep();
        if (!_filters.TryGetValue(id, out var filter))
        {
            return null;
        }

        filter.PolledAt = time.GetTimestamp();
        return filter;
    }

    public bool Remove(string id) => _filters.TryRemove(id, out _);

    private void Sweep()
    {
        foreach (var (id, filter) in _filters)
        {
            if (time.GetElapsedTime(filter.PolledAt) > Expiry)
            {
                _filters.TryRemove(id, out _);
            }
        }
    }
}
