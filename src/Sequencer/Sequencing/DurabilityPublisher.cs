using System.Diagnostics;
using Sequencer.Chain;
using Sequencer.History;

namespace Sequencer.Sequencing;

/// <summary>
/// Publishes what the log has made durable, on one thread of its own ("durability-publisher"): marks the transactions
/// visible in the <see cref="ChainStore"/>, tells each <see cref="IChainObserver"/>, publishes blocks whose transactions
/// are all durable, and completes the requests waiting for their confirmation, in sequence order.
/// </summary>
/// <remarks>
/// The single writer queues a waiter for each sequenced transaction and each sealed block; the log's flusher reports
/// each new durable end (<see cref="Durable"/>) once per group commit and goes straight back to the next fsync, so
/// answering a group overlaps with making the next one durable. One wake-up per group commit, not per transaction.
/// Only this thread touches the waiters while it runs; <see cref="Dispose"/> stops it after a last pass, and
/// <see cref="RejectRemaining"/> then answers whatever never became durable.
/// </remarks>
internal sealed class DurabilityPublisher : IDisposable
{
    private readonly ChainStore _store;
    private readonly IChainObserver[] _observers;
    private readonly SequencerMetrics _metrics;
    // Not a ConcurrentQueue: peeking at one marks its segment "preserved for observation", after which a dequeue no
    // longer clears the slot, so every answered transaction, request and task stayed reachable until the segment was
    // dropped and each gen0 promoted them all (docs/benchmarks.md, "Performance (issue 16)"). Queue<T> clears on dequeue.
    private readonly Queue<DurabilityWaiter> _waiters = new();
    private readonly Lock _waitersLock = new();
    private readonly List<DurabilityWaiter> _ready = [];
    private readonly object _gate = new(); // Monitor.Wait/Pulse need an object, not a Lock.
    private readonly Thread _thread;
    private long _durableEnd;
    private long _published;
    private bool _signalled;
    private bool _stopping;

    /// <param name="store">Where transactions and blocks become visible.</param>
    /// <param name="observers">Told of each durable range and each published block.</param>
    /// <param name="metrics">Confirmations, their latency and group sizes.</param>
    /// <param name="durableEnd">Where the log starts: everything below is durable and published already.</param>
    public DurabilityPublisher(ChainStore store, IChainObserver[] observers, SequencerMetrics metrics, long durableEnd)
    {
        _store = store;
        _observers = observers;
        _metrics = metrics;
        _durableEnd = durableEnd;
        _published = durableEnd;
        _thread = new Thread(Run) { IsBackground = true, Name = "durability-publisher" };
        _thread.Start();
    }

    /// <summary>Writer thread: <paramref name="request"/> gets <paramref name="transaction"/> once sequences below <paramref name="durableEnd"/> are durable.</summary>
    public void Await(long durableEnd, SequencingRequest request, SequencedTransaction transaction) =>
        Enqueue(new DurabilityWaiter(durableEnd, request, transaction, null));

    /// <summary>Writer thread: <paramref name="block"/> is published once all its transactions are durable.</summary>
    public void AwaitBlock(ChainBlock block) =>
        Enqueue(new DurabilityWaiter(block.FirstSequence + block.TransactionCount, null, null, block));

    /// <summary>The log's flusher: sequences below <paramref name="durableEnd"/> are durable.</summary>
    public void Durable(long durableEnd)
    {
        // Counted here, per fsync: the publisher may take two quick group commits in one pass.
        _metrics.GroupCommitted((int)(durableEnd - Volatile.Read(ref _durableEnd)));
        Volatile.Write(ref _durableEnd, durableEnd);
        Signal();
    }

    /// <summary>Stops the thread after a last pass over what is durable by now.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            _stopping = true;
            Monitor.Pulse(_gate);
        }

        _thread.Join();
    }

    /// <summary>After <see cref="Dispose"/>: answers every request still waiting (its record never became durable).</summary>
    public void RejectRemaining(string message)
    {
        while (TryTake(long.MaxValue, out var waiter))
        {
            waiter.Request?.Complete(SequencingOutcome.Rejected(SequencingRejection.LogUnavailable, message));
        }
    }

    /// <summary>
    /// Any thread: answers every transaction still waiting for durability beyond the current end with
    /// <see cref="SequencingRejection.NotReplicated"/>. They stay queued: if their records become durable later, the
    /// confirmation is not sent (a completed request ignores it) and blocks are still published in order.
    /// </summary>
    public void FailWaiting(string message)
    {
        var durableEnd = Volatile.Read(ref _durableEnd);
        DurabilityWaiter[] waiting;
        lock (_waitersLock)
        {
            waiting = _waiters.ToArray();
        }

        foreach (var waiter in waiting)
        {
            if (waiter.DurableEnd > durableEnd)
            {
                waiter.Request?.Complete(SequencingOutcome.Rejected(SequencingRejection.NotReplicated, message));
            }
        }
    }

    private void Enqueue(DurabilityWaiter waiter)
    {
        lock (_waitersLock)
        {
            _waiters.Enqueue(waiter);
        }

        if (waiter.DurableEnd <= Volatile.Read(ref _durableEnd))
        {
            // Already durable (a re-send, or a block sealed after its last fsync): no group commit will come for it.
            Signal();
        }
    }

    private void Signal()
    {
        lock (_gate)
        {
            _signalled = true;
            Monitor.Pulse(_gate);
        }
    }

    private void Run()
    {
        while (true)
        {
            bool stopping;
            lock (_gate)
            {
                while (!_signalled && !_stopping)
                {
                    Monitor.Wait(_gate);
                }

                _signalled = false;
                stopping = _stopping;
            }

            Publish(Volatile.Read(ref _durableEnd));
            if (stopping)
            {
                return;
            }
        }
    }

    private void Publish(long durableEnd)
    {
        if (durableEnd > _published)
        {
            _store.MarkDurable(durableEnd);
            foreach (var observer in _observers)
            {
                observer.TransactionsDurable(_published, durableEnd);
            }

            _published = durableEnd;
        }

        // Taken out under the lock in one go, answered outside it: the writer enqueues meanwhile without waiting.
        lock (_waitersLock)
        {
            while (_waiters.TryPeek(out var next) && next.DurableEnd <= durableEnd)
            {
                _ready.Add(_waiters.Dequeue());
            }
        }

        foreach (var waiter in _ready)
        {
            if (waiter.Block is { } block)
            {
                _store.PublishBlock(block);
                foreach (var observer in _observers)
                {
                    observer.BlockPublished(block);
                }
            }
            else
            {
                _metrics.Accepted();
                _metrics.ConfirmLatency(Stopwatch.GetElapsedTime(waiter.Request!.ArrivedAt));
                waiter.Request.Complete(SequencingOutcome.Confirmed(waiter.Transaction!));
            }
        }

        _ready.Clear(); // clears the slots too: the list lives as long as the publisher
    }

    private bool TryTake(long durableEnd, out DurabilityWaiter waiter)
    {
        lock (_waitersLock)
        {
            if (_waiters.TryPeek(out waiter) && waiter.DurableEnd <= durableEnd)
            {
                _waiters.Dequeue();
                return true;
            }

            return false;
        }
    }

    private readonly record struct DurabilityWaiter(long DurableEnd, SequencingRequest? Request, SequencedTransaction? Transaction, ChainBlock? Block);
}
