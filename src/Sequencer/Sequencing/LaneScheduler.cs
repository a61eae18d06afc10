using Primitives;
using Sequencer.Transactions;

namespace Sequencer.Sequencing;

/// <summary>
/// Chooses which waiting transaction the single writer places next, so that under contention each block's gas is
/// shared as <see cref="LaneShares"/> says: between the lanes by weight, and among the identities of a lane
/// round-robin with a cap per identity (docs/block-share.md). It runs before a transaction gets its sequence, block and
/// index, so every soft confirmation still states the place the transaction keeps.
/// </summary>
/// <remarks>
/// Work-conserving: a lane with nothing waiting leaves its room to the other, and when every waiting identity is at its
/// cap the cap gives way rather than hold the block's room empty. Weights are compared on the gas each lane was given
/// while both waited, so shares hold in gas for transactions of any size (within one transaction per block, evened out
/// over the following blocks). Used by the writer's thread only; allocation-free
/// once warm (no LINQ, no exceptions on this path).
/// </remarks>
internal sealed class LaneScheduler
{
    private readonly LaneQueue _paid = new();
    private readonly LaneQueue _sponsored = new();
    private readonly Dictionary<Address, ulong> _usedByPayer = new();
    private long _block = -1;

    // Gas each lane was given since both lanes last had something waiting: carried across blocks, so that transactions
    // large against the block (a 200k-gas call in a 1M block) even out over the next blocks instead of skewing each.
    private ulong _paidUsed;
    private ulong _sponsoredUsed;
    private volatile int _staged;

    private long _capYields;

    /// <summary>Transactions taken off the lane queues and not yet placed (read by the queue-depth gauge on other threads).</summary>
    public int Staged => _staged;

    /// <summary>
    /// Transactions placed past their identity's cap because everyone waiting was at it (the cap gave way rather than
    /// leave the block's room empty); read by a metric on other threads.
    /// </summary>
    public long CapYields => Interlocked.Read(ref _capYields);

    public void Add(SequencingRequest request)
    {
        Lane(request.Lane).Add(request);
        _staged++;
    }

    /// <summary>
    /// Counts a placed transaction against its lane and identity in block <paramref name="blockNumber"/>: every placed
    /// one, also those the writer placed without asking (a nonce gap's followers).
    /// </summary>
    public void Charge(SequencingRequest request, long blockNumber, ulong gas)
    {
        EnterBlock(blockNumber);
        if (request.Lane == TxLane.Sponsored)
        {
            _sponsoredUsed += gas;
        }
        else
        {
            _paidUsed += gas;
        }

        if ((_sponsoredUsed | _paidUsed) >= 1UL << 60)
        {
            // Only the ratio matters: halving both keeps it and keeps the sums from overflowing in a long contention.
            _sponsoredUsed >>= 1;
            _paidUsed >>= 1;
        }

        ref var used = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(_usedByPayer, request.Payer, out _);
        used += gas;
    }

    /// <summary>
    /// The next transaction to place in block <paramref name="openBlock"/> (-1 when none is open: the next one starts
    /// empty) of <paramref name="gasLimit"/>; false only when nothing waits.
    /// </summary>
    public bool TryTake(long openBlock, ulong gasLimit, LaneShares shares, out SequencingRequest request)
    {
        if (_staged == 0)
        {
            request = null!;
            return false;
        }

        EnterBlock(openBlock);
        var cap = (ulong)((UInt128)gasLimit * (uint)shares.MaxPerIdentityPercent / 100);
        var paid = _paid.FindEligible(_usedByPayer, cap);
        var sponsored = _sponsored.FindEligible(_usedByPayer, cap);
        if (paid < 0 && sponsored < 0)
        {
            // Everyone waiting is at the cap: the cap yields (nobody else wants the room), round-robin as usual.
            paid = _paid.NextInTurn();
            sponsored = _sponsored.NextInTurn();
            Interlocked.Increment(ref _capYields);
        }

        if (_paid.Count == 0 || _sponsored.Count == 0)
        {
            // One lane has nothing waiting: the other gets the room, and no lane carries credit or debt out of the
            // contention. A lane whose waiting identities are only at their caps still waits: it keeps what it is owed.
            _paidUsed = 0;
            _sponsoredUsed = 0;
        }

        var takeSponsored = sponsored >= 0 && (paid < 0 || SponsoredTurn(shares.SponsoredPercent));
        request = takeSponsored ? _sponsored.Take(sponsored) : _paid.Take(paid);
        _staged--;
        return true;
    }

    /// <summary>Everything staged, in no particular order (shutdown).</summary>
    public void TakeAll(Action<SequencingRequest> each)
    {
        _paid.TakeAll(each);
        _sponsored.TakeAll(each);
        _staged = 0;
    }

    /// <summary>
    /// Both lanes wait: the lane further below its share of the gas given during this contention goes next
    /// (sponsoredUsed / s against paidUsed / (100 - s), cross-multiplied); a tie goes to the larger share.
    /// </summary>
    private bool SponsoredTurn(int sponsoredPercent)
    {
        var sponsored = (UInt128)_sponsoredUsed * (uint)(100 - sponsoredPercent);
        var paid = (UInt128)_paidUsed * (uint)sponsoredPercent;
        return sponsored < paid || (sponsored == paid && sponsoredPercent >= 50);
    }

    private void EnterBlock(long block)
    {
        if (block == _block)
        {
            return;
        }

        _block = block;
        _usedByPayer.Clear();
    }

    private LaneQueue Lane(TxLane lane) => lane == TxLane.Sponsored ? _sponsored : _paid;
}
