using Primitives;

namespace Sequencer.Sequencing;

/// <summary>
/// The transactions of one lane that the single writer has taken off the lane's queue and not yet placed: one queue
/// per identity (first in, first out, so an account's nonces stay in order), served round-robin so that one busy
/// identity cannot keep the others out. Used by the writer's thread only.
/// </summary>
/// <remarks>
/// Allocation-free once warm: per-identity queues are pooled and reused, the dictionary and the ring keep their
/// capacity. Picking scans the ring from the cursor, so its cost is the number of identities passed over (those at
/// their cap in the open block), bounded by the lookahead window.
/// </remarks>
internal sealed class LaneQueue
{
    private readonly Dictionary<Address, Payer> _byPayer = new();
    private readonly List<Payer> _ring = new();
    private readonly Stack<Payer> _free = new();
    private int _cursor;

    public int Count { get; private set; }

    /// <summary>Identities with something waiting.</summary>
    public int Payers => _ring.Count;

    public void Add(SequencingRequest request)
    {
        var key = request.Payer;
        if (!_byPayer.TryGetValue(key, out var payer))
        {
            payer = _free.Count > 0 ? _free.Pop() : new Payer();
            payer.Key = key;
            _byPayer.Add(key, payer);
            _ring.Add(payer);
        }

        payer.Waiting.Enqueue(request);
        Count++;
    }

    /// <summary>
    /// The ring position of the next identity, in round-robin order, whose oldest transaction fits under
    /// <paramref name="cap"/> given what it already used of the open block (<paramref name="used"/>), or -1. An identity
    /// that used nothing yet always fits: the cap never keeps a transaction out of an otherwise empty share.
    /// </summary>
    public int FindEligible(Dictionary<Address, ulong> used, ulong cap)
    {
        var count = _ring.Count;
        for (var i = 0; i < count; i++)
        {
            var at = (_cursor + i) % count;
            var payer = _ring[at];
            if (!used.TryGetValue(payer.Key, out var taken) || taken + payer.Waiting.Peek().GasLimit <= cap)
            {
                return at;
            }
        }

        return -1;
    }

    /// <summary>The ring position the round-robin would serve next, whatever the caps say; -1 when empty.</summary>
    public int NextInTurn() => _ring.Count == 0 ? -1 : _cursor % _ring.Count;

    /// <summary>The oldest transaction of the identity at <paramref name="at"/>; the turn passes to the identity after it.</summary>
    public SequencingRequest Take(int at)
    {
        var payer = _ring[at];
        var request = payer.Waiting.Dequeue();
        Count--;
        if (payer.Waiting.Count == 0)
        {
            _ring.RemoveAt(at);
            _byPayer.Remove(payer.Key);
            _free.Push(payer);
            _cursor = at; // the identity after it moved into its place
        }
        else
        {
            _cursor = at + 1;
        }

        if (_cursor >= _ring.Count)
        {
            _cursor = 0;
        }

        return request;
    }

    /// <summary>Everything waiting, in no particular order (shutdown); the lane is empty afterwards.</summary>
    public void TakeAll(Action<SequencingRequest> each)
    {
        foreach (var payer in _ring)
        {
            while (payer.Waiting.Count > 0)
            {
                each(payer.Waiting.Dequeue());
            }

            _free.Push(payer);
        }

        _ring.Clear();
        _byPayer.Clear();
        _cursor = 0;
        Count = 0;
    }

    private sealed class Payer
    {
        public Address Key;
        public readonly Queue<SequencingRequest> Waiting = new();
    }
}
