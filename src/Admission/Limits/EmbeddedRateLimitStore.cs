namespace Admission.Limits;

/// <summary>
/// In-process limit state: the default when one sequencer runs alone, and the paid lane's fallback
/// when Redis is down. One lock around the whole check-and-take keeps it atomic; it is held for well
/// under a microsecond per request, so contention stays low on a few cores. Expired entries are swept
/// when the table has doubled since the last sweep or a minute has passed, which bounds memory by the live keys.
/// </summary>
internal sealed partial class EmbeddedRateLimitStore : IRateLimitStore
{
    private const int MinSweepSize = 4096;

    private readonly Lock _lock = new();
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Board> _boards = new(StringComparer.Ordinal);
    private const long SweepEveryUs = 60_000_000;

    private int _sweepAt = MinSweepSize;
    private long _lastSweepUs;

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _entries.Count;
            }
        }
    }

    public ValueTask<LimitOutcome> AcquireAsync(LimitRequest request, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Acquire(request));

    public LimitOutcome Acquire(LimitRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var now = request.NowUs;
        var rates = request.Rates;
        Span<long> newTats = rates.Length <= 16 ? stackalloc long[rates.Length] : new long[rates.Length];
        UInt128[]? totals;
        lock (_lock)
        {
            for (var i = 0; i < rates.Length; i++)
            {
                var rate = rates[i];
                if (!Gcra.TryTake(Read(rate.Key, now), now, rate.IntervalUs, rate.ToleranceUs, out newTats[i], out var retry))
                {
                    return LimitOutcome.Limited(rate.Rule, retry);
                }
            }

            foreach (var quota in request.Quotas)
            {
                if (quota.Limit is { } limit && Read(quota.Key, now) + quota.Amount > limit)
                {
                    return LimitOutcome.Limited(quota.Rule, quota.ResetAtUs - now);
                }
            }

            if (!CheckSpends(request.Spends, now, out var refusal))
            {
                return refusal;
            }

            for (var i = 0; i < rates.Length; i++)
            {
                _entries[rates[i].Key] = new Entry(newTats[i], newTats[i]);
            }

            foreach (var quota in request.Quotas)
            {
                _entries[quota.Key] = new Entry(Read(quota.Key, now) + quota.Amount, quota.ResetAtUs);
            }

            if (request.Usage is { } usage)
            {
                if (!_boards.TryGetValue(usage.BoardKey, out var board) || board.ResetAtUs <= now)
                {
                    board = new Board(usage.ResetAtUs);
                    _boards[usage.BoardKey] = board;
                }

                board.Scores[usage.Member] = board.Scores.GetValueOrDefault(usage.Member) + usage.Score;
            }

            totals = TakeSpends(request.Spends, now);
            if (_entries.Count >= _sweepAt || (_entries.Count > MinSweepSize && now - _lastSweepUs > SweepEveryUs))
            {
                Sweep(now);
            }
        }

        return totals is null ? LimitOutcome.Allowed : LimitOutcome.Allowed with { SpendTotals = totals };
    }

    public ValueTask<long[]> ReadAsync(IReadOnlyList<string> keys, long nowUs, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var values = new long[keys.Count];
        var now = nowUs;
        lock (_lock)
        {
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = Read(keys[i], now);
            }
        }

        return ValueTask.FromResult(values);
    }

    public ValueTask<IReadOnlyList<BoardEntry>> TopAsync(string boardKey, int count, long nowUs, CancellationToken cancellationToken = default)
    {
        var top = new List<BoardEntry>();
        lock (_lock)
        {
            if (_boards.TryGetValue(boardKey, out var board) && board.ResetAtUs > nowUs)
            {
                foreach (var (member, score) in board.Scores)
                {
                    top.Add(new BoardEntry(member, score));
                }
            }
        }

        top.Sort(static (a, b) => b.Score != a.Score ? b.Score.CompareTo(a.Score) : string.CompareOrdinal(a.Member, b.Member));
        if (top.Count > count)
        {
            top.RemoveRange(count, top.Count - count);
        }

        return ValueTask.FromResult<IReadOnlyList<BoardEntry>>(top);
    }

    private long Read(string key, long now) =>
        _entries.TryGetValue(key, out var entry) && entry.ExpiresAtUs > now ? entry.Value : 0;

    private void Sweep(long now)
    {
        var expired = new List<string>();
        foreach (var (key, entry) in _entries)
        {
            if (entry.ExpiresAtUs <= now)
            {
                expired.Add(key);
            }
        }

        foreach (var key in expired)
        {
            _entries.Remove(key);
        }

        var boards = new List<string>();
        foreach (var (key, board) in _boards)
        {
            if (board.ResetAtUs <= now)
            {
                boards.Add(key);
            }
        }

        foreach (var key in boards)
        {
            _boards.Remove(key);
        }

        SweepSpends(now);
        _sweepAt = Math.Max(MinSweepSize, _entries.Count * 2);
        _lastSweepUs = now;
    }

    /// <summary>A TAT (expires when reached: an arrival time in the past means a full burst) or a counter (expires at its reset).</summary>
    private readonly record struct Entry(long Value, long ExpiresAtUs);

    private sealed class Board(long resetAtUs)
    {
        public long ResetAtUs { get; } = resetAtUs;

        public Dictionary<string, long> Scores { get; } = new(StringComparer.Ordinal);
    }
}
