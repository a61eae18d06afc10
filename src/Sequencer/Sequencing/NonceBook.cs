using System.Collections.Concurrent;
using System.Diagnostics;
using Primitives;

namespace Sequencer.Sequencing;

/// <summary>
/// Next nonce per sender, and transactions that arrived ahead of their turn. A transaction whose
/// nonce is above the sender's next nonce waits here (bounded per sender and in total) for a short
/// time; when the missing nonce arrives, the waiting ones are sequenced right after it.
/// Mutated only by the core's writer; <see cref="GetPending"/> may be read from any thread.
/// </summary>
internal sealed class NonceBook(int maxPerSender, int maxTotal, TimeSpan wait)
{
    private readonly ConcurrentDictionary<Address, ulong> _next = new();
    private readonly Dictionary<Address, SortedList<ulong, HeldTransaction>> _held = new();
    private readonly Queue<HeldTransaction> _byDeadline = new();
    private readonly long _waitTicks = (long)(wait.TotalSeconds * Stopwatch.Frequency);
    private int _heldCount;

    /// <summary>Transactions currently waiting for a nonce gap to fill.</summary>
    public int HeldCount => _heldCount;

    /// <summary>Next nonce the sender may use, counting every sequenced transaction.</summary>
    public ulong GetPending(Address sender) => _next.TryGetValue(sender, out var next) ? next : 0;

    public void Advance(Address sender, ulong next) => _next[sender] = next;

    public HoldResult TryHold(SequencingRequest request, long now)
    {
        if (!_held.TryGetValue(request.Sender, out var queue))
        {
            queue = new SortedList<ulong, HeldTransaction>();
            _held[request.Sender] = queue;
        }

        if (queue.TryGetValue(request.Nonce, out var existing))
        {
            if (existing.Request.Hash == request.Hash)
            {
                existing.AddDuplicate(request);
                return HoldResult.Held;
            }

            return HoldResult.NonceTaken;
        }

        if (queue.Count >= maxPerSender)
        {
            return HoldResult.SenderFull;
        }

        if (_heldCount >= maxTotal)
        {
            return HoldResult.TotalFull;
        }

        var held = new HeldTransaction(request, now + _waitTicks);
        queue.Add(request.Nonce, held);
        _byDeadline.Enqueue(held);
        _heldCount++;
        return HoldResult.Held;
    }

    /// <summary>Takes the waiting transaction with exactly this nonce, if any.</summary>
    public bool TryTake(Address sender, ulong nonce, out HeldTransaction held)
    {
        if (_held.TryGetValue(sender, out var queue) && queue.Remove(nonce, out held!))
        {
            if (queue.Count == 0)
            {
                _held.Remove(sender);
            }

            held.Released = true;
            _heldCount--;
            return true;
        }

        held = null!;
        return false;
    }

    /// <summary>Removes waiting transactions whose time is up and hands them to <paramref name="onExpired"/>.</summary>
    public void ExpireDue(long now, Action<HeldTransaction> onExpired)
    {
        while (_byDeadline.TryPeek(out var held) && (held.Released || held.Deadline <= now))
        {
            _byDeadline.Dequeue();
            if (held.Released)
            {
                continue;
            }

            var sender = held.Request.Sender;
            TryTake(sender, held.Request.Nonce, out _);
            onExpired(held);
        }
    }

    /// <summary>Stopwatch timestamp of the earliest deadline, or null when nothing waits.</summary>
    public long? NextDeadline()
    {
        while (_byDeadline.TryPeek(out var held) && held.Released)
        {
            _byDeadline.Dequeue();
        }

        return _byDeadline.TryPeek(out var first) ? first.Deadline : null;
    }
}

internal enum HoldResult
{
    Held,
    NonceTaken,
    SenderFull,
    TotalFull,
}

/// <summary>A transaction waiting for its nonce gap, plus identical re-sends waiting on the same outcome.</summary>
internal sealed class HeldTransaction(SequencingRequest request, long deadline)
{
    private List<SequencingRequest>? _duplicates;

    public SequencingRequest Request { get; } = request;

    public long Deadline { get; } = deadline;

    public bool Released { get; set; }

    public IReadOnlyList<SequencingRequest> Duplicates => (IReadOnlyList<SequencingRequest>?)_duplicates ?? [];

    public void AddDuplicate(SequencingRequest request) => (_duplicates ??= []).Add(request);
}
