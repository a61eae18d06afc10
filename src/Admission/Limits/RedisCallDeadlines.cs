using System.Diagnostics;

namespace Admission.Limits;

/// <summary>
/// The limiter's per-call timeout with one timer for many calls: the calls that start within one slot (an eighth of the
/// timeout) share one token, cancelled when the timeout has passed for the last of them. So each call is abandoned after
/// between one and 1⅛ timeouts, and a busy limiter arms a timer every few milliseconds instead of one per call.
/// </summary>
/// <remarks>
/// Why not a timer per call (Polly's timeout strategy did that): arming and disarming a timer takes the runtime's timer
/// queue lock twice per call, and with every sponsored request calling Redis that showed as a lock wait on the request
/// path (thread-time trace of the sponsored benchmark). A slot's source is never disposed: calls may still be waiting on
/// its token; once it has fired it holds no timer, and the garbage collector takes it with the last of them.
/// </remarks>
internal sealed class RedisCallDeadlines
{
    private readonly TimeSpan _timeout;
    private readonly TimeSpan _slot;
    private readonly long _slotTicks;
    private Slot? _current;

    public RedisCallDeadlines(TimeSpan timeout)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeout, TimeSpan.Zero);
        _timeout = timeout;
        _slot = timeout / 8;
        _slotTicks = Math.Max(1, (long)(_slot.TotalSeconds * Stopwatch.Frequency));
    }

    /// <summary>The timeout a call is guaranteed at least.</summary>
    public TimeSpan Timeout => _timeout;

    /// <summary>A token cancelled between one and 1⅛ timeouts from now.</summary>
    public CancellationToken Next()
    {
        var now = Stopwatch.GetTimestamp();
        var slot = Volatile.Read(ref _current);
        if (slot is not null && now < slot.EndsAt)
        {
            return slot.Token;
        }

        // The slot's first call: its source fires one timeout after the slot ends, so its last call still gets a timeout.
        var source = new CancellationTokenSource(_timeout + _slot);
        var fresh = new Slot(now + _slotTicks, source.Token);
        var seen = Interlocked.CompareExchange(ref _current, fresh, slot);
        if (!ReferenceEquals(seen, slot))
        {
            // Another call opened the next slot first: use it (this source has no waiter; dispose stops its timer).
            source.Dispose();
            return seen!.Token;
        }

        return fresh.Token;
    }

    private sealed record Slot(long EndsAt, CancellationToken Token);
}
