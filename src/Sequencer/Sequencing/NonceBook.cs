using System.Collections.Concurrent;
using Primitives;

namespace Sequencer.Sequencing;

/// <summary>
/// Next nonce per sender, and transactions that arrived ahead of their turn. A transaction whose
/// nonce is above the sender's next nonce waits here (bounded per sender and in total) for a short
/// time; when the missing nonce arrives, the waiting ones are sequenced right after it.
/// Mutated only by the core's writer; <see cref="GetPending"/> may be read from any thread.
/// </summary>
/// <remarks>Deadlines are timestamps of the <see cref="TimeProvider"/> it was given (fake time in tests).</remarks>
internal sealed class NonceBook(int maxPerSender, int maxTotal, TimeSpan wait, TimeProvider time)
{
    private ConcurrentDictionary<Address, ulong> _next = new();
    private readonly Dictionary<Address, SortedList<ulong, HeldTransaction>> _held = new();
    private readonly Queue<HeldTransaction> _byDeadline = new();
    private readonly long _waitTicks = (long)(wait.TotalSeconds * time.TimestampFrequency);
    private int _heldCount;

    /// <summary>Transactions currently waiting for a nonce gap to fill.</summary>
    public int HeldCount => _heldCount;

    /// <summary>How long a transaction waits for its gap to fill.</summary>
    public TimeSpan Wait => wait;

    /// <summary>Next nonce the sender may use, counting every sequenced transaction.</summary>
    public ulong GetPending(Address sender) => _next.TryGetValue(sender, out var next) ? next : 0;

    public void Advance(Address sender, ulong next) => _next[sender] = next;

    /// <summary>
    /// Recovery only, before anything else: every sender's next nonce from a checkpoint, as <see cref="Advance"/> for each,
    /// into a table sized for them at once (growing one by one to some ten thousand senders costs a start tens of ms).
    /// </summary>
    public void Restore(IReadOnlyCollection<KeyValuePair<Address, ulong>> nonces)
    {
        var table = new ConcurrentDictionary<Address, ulong>(Environment.ProcessorCount, nonces.Count + (nonces.Count / 4) + 31);
        foreach (var (sender, next) in nonces)
        {
            table[sender] = next;
        }

        _next = table;
    }

    public HoldResult TryHold(SequencingRequest request)
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

        var held = new HeldTransaction(request, time.GetTimestamp() + _waitTicks);
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
    public void ExpireDue(Action<HeldTransaction> onExpired)
    {
        var now = time.GetTimestamp();
        while (_byDeadline.TryPeek(out var held) && (held.Released || held.Deadline <= now))
        {
            _byDeadline.Dequeue();
            if (held.Released)
            {
                continue;
            }

            TryTake(held.Request.Sender, held.Request.Nonce, out _);
            onExpired(held);
        }
    }

    /// <summary>Removes every waiting transaction and hands it to <paramref name="onRemoved"/> (shutdown).</summary>
    public void TakeAll(Action<HeldTransaction> onRemoved)
    {
        while (_byDeadline.TryDequeue(out var held))
        {
            if (!held.Released)
            {
                TryTake(held.Request.Sender, held.Request.Nonce, out _);
                onRemoved(held);
            }
        }
    }

    /// <summary>Timestamp (of the book's <see cref="TimeProvider"/>) of the earliest deadline, or null when nothing waits.</summary>
    public long? NextDeadline()
    {
        while (_byDeadline.TryPeek(out var held) && held.Released)
        {
            _byDeadline.Dequeue();
        }

        return _byDeadline.TryPeek(out var first) ? first.Deadline : null;
    }
}
