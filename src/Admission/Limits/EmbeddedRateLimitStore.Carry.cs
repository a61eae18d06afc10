namespace Admission.Limits;

/// <summary>Usage carried between keys under the store's one lock (the same rules as carry.lua).</summary>
internal sealed partial class EmbeddedRateLimitStore
{
    public ValueTask CarryAsync(UsageCarry carry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(carry);
        var now = carry.NowUs;
        lock (_lock)
        {
            foreach (var entry in carry.Entries)
            {
                var value = Read(entry.Target, now);
                foreach (var source in entry.Sources)
                {
                    value = Combine(value, Read(source, now), entry, now);
                }

                if (value > 0)
                {
                    _entries[entry.Target] = new Entry(value, entry.IsRate ? value : entry.ResetAtUs);
                }
            }

            if (carry.Board is { } move && _boards.TryGetValue(move.BoardKey, out var board) && board.ResetAtUs > now)
            {
                var score = board.Scores.GetValueOrDefault(move.Target);
                foreach (var source in move.Sources)
                {
                    if (board.Scores.Remove(source, out var moved))
                    {
                        score += moved;
                    }
                }

                if (score > 0)
                {
                    board.Scores[move.Target] = score;
                }
            }
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// Add: counters sum; arrival times sum their backlogs (how far each runs ahead of now), because a GCRA
    /// arrival time of now + k × interval stands for k requests not yet paid back. Max: the higher value.
    /// </summary>
    internal static long Combine(long target, long source, CarryEntry entry, long now)
    {
        if (entry.Mode == CarryMode.Max)
        {
            return Math.Max(target, source);
        }

        if (!entry.IsRate)
        {
            return target + source;
        }

        var backlog = Math.Max(0, target - now) + Math.Max(0, source - now);
        return backlog == 0 ? 0 : now + backlog;
    }
}
