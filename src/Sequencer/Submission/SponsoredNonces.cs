using System.Collections.Concurrent;
using Primitives;
using Sequencer.Sequencing;

namespace Sequencer.Submission;

/// <summary>
/// The next nonce of each identity account as the sponsored lane hands them out: the nonce book's (what the core
/// has sequenced), or, while some of the account's transactions are queued but not yet answered, one past the last
/// of those. An entry lives only while the account has transactions in flight, so memory is bounded by the requests
/// in flight. Every call for one account is made under that account's lock (<see cref="SponsoredSubmitter"/>).
/// </summary>
internal sealed class SponsoredNonces(NonceBook book)
{
    private readonly ConcurrentDictionary<Address, InFlight> _inFlight = new();

    /// <summary>
    /// The nonce for the account's next transaction; false, with a task that completes once the account has nothing
    /// in flight, while a queued transaction of the account was refused and later ones may be waiting on its nonce.
    /// </summary>
    public bool TryNext(Address account, out ulong nonce, out Task? refusedBefore)
    {
        refusedBefore = null;
        if (!_inFlight.TryGetValue(account, out var inFlight))
        {
            nonce = book.GetPending(account);
            return true;
        }

        if (inFlight.Drained is { } drained)
        {
            nonce = 0;
            refusedBefore = drained.Task;
            return false;
        }

        nonce = inFlight.Next;
        return true;
    }

    /// <summary>The transaction with <paramref name="nonce"/> is in the core's queue.</summary>
    public void Queued(Address account, ulong nonce)
    {
        var inFlight = _inFlight.GetOrAdd(account, static _ => new InFlight());
        inFlight.Next = nonce + 1;
        inFlight.Count++;
    }

    /// <summary>The core answered one of the account's queued transactions: sequenced it, or refused it.</summary>
    public void Answered(Address account, bool sequenced)
    {
        var inFlight = _inFlight[account];
        if (!sequenced)
        {
            inFlight.Drained ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        if (--inFlight.Count == 0)
        {
            // From here on the nonce book holds every answered transaction, so it is the account's next nonce again.
            _inFlight.TryRemove(account, out _);
            inFlight.Drained?.SetResult();
        }
    }

    private sealed class InFlight
    {
        public ulong Next { get; set; }

        public int Count { get; set; }

        /// <summary>Set once a queued transaction was refused: completed when the account has nothing in flight.</summary>
        public TaskCompletionSource? Drained { get; set; }
    }
}
