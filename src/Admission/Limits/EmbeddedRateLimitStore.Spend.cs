namespace Admission.Limits;

/// <summary>Wei budgets in process: the same steps as acquire.lua and settle.lua, under the store's one lock.</summary>
internal sealed partial class EmbeddedRateLimitStore : ISpendStore
{
    private readonly Dictionary<string, SpendEntry> _spends = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SpendReservation> _reservations = new(StringComparer.Ordinal);

    public ValueTask RecordAsync(SpendReservation reservation, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reservation);
        lock (_lock)
        {
            _reservations.TryAdd(reservation.TxHash, reservation);
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask<IReadOnlyList<PendingSpend>> PendingAsync(ulong uptoBlock, int max, CancellationToken cancellationToken = default)
    {
        var pending = new List<PendingSpend>();
        lock (_lock)
        {
            foreach (var reservation in _reservations.Values)
            {
                if (reservation.BlockNumber <= uptoBlock)
                {
                    pending.Add(new PendingSpend(reservation.TxHash, reservation.BlockNumber));
                }
            }
        }

        pending.Sort(static (a, b) => a.BlockNumber != b.BlockNumber ? a.BlockNumber.CompareTo(b.BlockNumber) : string.CompareOrdinal(a.TxHash, b.TxHash));
        if (pending.Count > max)
        {
            pending.RemoveRange(max, pending.Count - max);
        }

        return ValueTask.FromResult<IReadOnlyList<PendingSpend>>(pending);
    }

    public ValueTask<SettleOutcome> SettleAsync(string txHash, UInt128 actualWei, long nowUs, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            if (!_reservations.Remove(txHash, out var reservation))
            {
                return ValueTask.FromResult(SettleOutcome.NotFound);
            }

            var charged = UInt128.Min(actualWei, reservation.AmountWei);
            var released = reservation.AmountWei - charged;
            Release(reservation.IdentityKey, released, nowUs);
            Release(reservation.GlobalKey, released, nowUs);
            return ValueTask.FromResult(new SettleOutcome(true, reservation.Identity, charged, released));
        }
    }

    public ValueTask<UInt128[]> ReadSpendAsync(IReadOnlyList<string> keys, long nowUs, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var values = new UInt128[keys.Count];
        lock (_lock)
        {
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = ReadSpend(keys[i], nowUs);
            }
        }

        return ValueTask.FromResult(values);
    }

    public ValueTask<bool> TryMarkAsync(string key, long nowUs, long expiresAtUs, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            if (Read(key, nowUs) != 0)
            {
                return ValueTask.FromResult(false);
            }

            _entries[key] = new Entry(1, expiresAtUs);
            return ValueTask.FromResult(true);
        }
    }

    // Called under the lock, after the rates and quotas passed.
    private bool CheckSpends(SpendCheck[] spends, long now, out LimitOutcome refusal)
    {
        foreach (var spend in spends)
        {
            // current + amount > limit, written so that it cannot overflow.
            if (spend.LimitWei is { } limit && (spend.AmountWei > limit || ReadSpend(spend.Key, now) > limit - spend.AmountWei))
            {
                refusal = LimitOutcome.Limited(spend.Rule, spend.ResetAtUs - now);
                return false;
            }
        }

        refusal = default;
        return true;
    }

    private UInt128[]? TakeSpends(SpendCheck[] spends, long now)
    {
        if (spends.Length == 0)
        {
            return null;
        }

        var totals = new UInt128[spends.Length];
        for (var i = 0; i < spends.Length; i++)
        {
            var spend = spends[i];
            totals[i] = ReadSpend(spend.Key, now) + spend.AmountWei;
            _spends[spend.Key] = new SpendEntry(totals[i], spend.ResetAtUs);
        }

        return totals;
    }

    // A counter that has expired (a reservation of yesterday settled today) is left alone: yesterday is over.
    private void Release(string key, UInt128 amount, long now)
    {
        if (amount == 0 || !_spends.TryGetValue(key, out var entry) || entry.ExpiresAtUs <= now)
        {
            return;
        }

        _spends[key] = entry with { Value = entry.Value > amount ? entry.Value - amount : UInt128.Zero };
    }

    private UInt128 ReadSpend(string key, long now) =>
        _spends.TryGetValue(key, out var entry) && entry.ExpiresAtUs > now ? entry.Value : UInt128.Zero;

    private void SweepSpends(long now)
    {
        var expired = new List<string>();
        foreach (var (key, entry) in _spends)
        {
            if (entry.ExpiresAtUs <= now)
            {
                expired.Add(key);
            }
        }

        foreach (var key in expired)
        {
            _spends.Remove(key);
        }

        var stale = new List<string>();
        foreach (var (hash, reservation) in _reservations)
        {
            if (reservation.ExpiresAtUs <= now)
            {
                stale.Add(hash);
            }
        }

        foreach (var hash in stale)
        {
            _reservations.Remove(hash);
        }
    }

    private readonly record struct SpendEntry(UInt128 Value, long ExpiresAtUs);
}
