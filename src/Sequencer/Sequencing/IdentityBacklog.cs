using Primitives;

namespace Sequencer.Sequencing;

/// <summary>
/// How many transactions of each identity (<see cref="SequencingRequest.Payer"/>) one lane holds from the moment the core
/// takes them until the writer picks them to place: the lane's queue, the callers waiting for room in it, and what the
/// writer has taken from the queue to choose among (all of it: the scheduler sees every identity that waits). When that waiting room is full, an identity already holding its even part of it is told "busy"
/// at the door, so the room goes to the others (docs/block-share.md, "Fair at the door").
/// </summary>
/// <remarks>
/// Why at the door: the <see cref="LaneScheduler"/> takes turns among the identities it can see, and it sees only what
/// the lane's first-in-first-out queue let through. Under a flood the queue's room goes to whoever asks most often, so
/// an identity sending from four accounts filled the writer's window with its own transactions, the others had nothing
/// visible, and round-robin and the per-identity cap gave way to it (BlockShareFloodTests: 17 % of the lane instead of
/// 5 %, above its cap in 15 of 120 blocks). With the room shared evenly and all of it visible to the scheduler, every
/// identity with demand has transactions to choose among and gets its turn. Below the room's size nobody is refused: no change while the lane keeps up.
/// Shared by the callers' threads and the writer's: one short lock, a dictionary keyed by a struct that keeps its
/// capacity (no allocation per transaction once warm).
/// </remarks>
internal sealed class IdentityBacklog(int room)
{
    private readonly Dictionary<Address, int> _byPayer = new();
    private readonly Lock _lock = new();
    private int _total;

    /// <summary>Transactions the lane holds before the even split applies (Sequencer:QueueCapacity); it never holds twice as many.</summary>
    public int Room => room;

    /// <summary>
    /// Counts <paramref name="request"/> in, unless the lane's room is full and its identity already holds its even part
    /// (room / identities holding any, at least one); then false, with what the identity holds and its part.
    /// </summary>
    public bool TryEnter(SequencingRequest request, out int held, out int part)
    {
        lock (_lock)
        {
            ref var count = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(_byPayer, request.Payer, out var existed);
            held = count;
            part = Math.Max(1, room / _byPayer.Count);
            // Twice the room is the hard bound: a flood from ever more identities (each under its part) is refused too.
            if (_total >= 2 * room || (_total >= room && held >= part))
            {
                if (!existed)
                {
                    _byPayer.Remove(request.Payer);
                }

                return false;
            }

            count++;
            _total++;
        }

        request.Backlog = this;
        return true;
    }

    /// <summary>The writer took <paramref name="request"/> to place, or it left unplaced: it no longer counts.</summary>
    public void Leave(SequencingRequest request)
    {
        request.Backlog = null;
        lock (_lock)
        {
            ref var count = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrNullRef(_byPayer, request.Payer);
            if (System.Runtime.CompilerServices.Unsafe.IsNullRef(ref count))
            {
                return;
            }

            _total--;
            if (--count == 0)
            {
                _byPayer.Remove(request.Payer);
            }
        }
    }
}
