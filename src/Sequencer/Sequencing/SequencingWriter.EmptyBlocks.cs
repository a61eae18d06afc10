namespace Sequencer.Sequencing;

/// <summary>
/// The writer's empty blocks: while nothing is sent, one a second after a quiet interval keeps the head moving with the
/// clock; at the start and on becoming leader, the catch-up that seals those of the time the node was not sealing
/// (docs/replication.md), each covered by the <see cref="EmptyBlockMark"/> before it is published.
/// </summary>
internal sealed partial class SequencingWriter
{
    /// <summary>Empty blocks may follow the head: on, leading, no block open, the log writable, after the first block with transactions.</summary>
    private bool MaySealEmpty => _emptyTicks > 0 && SealsByTime && _blocks.Open is null && _blocks.LastSealed.Number > 0 && _log.Failure is null;

    /// <summary>
    /// When the next empty block is due: the interval after the last block, and not before the clock reaches the head's
    /// timestamp plus one second (an empty block's timestamp; waking earlier would only spin).
    /// </summary>
    private long? NextEmptyBlockAt()
    {
        if (!MaySealEmpty)
        {
            return null;
        }

        var nowTicks = _time.GetTimestamp();
        var untilSecond = ((long)_blocks.LastSealed.Timestamp + 1) * 1000 - _time.GetUtcNow().ToUnixTimeMilliseconds();
        var atSecond = untilSecond <= 0 ? nowTicks : nowTicks + untilSecond * _time.TimestampFrequency / 1000;
        return Math.Max(_lastBlockAt + _emptyTicks, atSecond);
    }

    /// <summary>
    /// Seals the empty blocks that are due: one for each whole second the head's timestamp lags the clock, once the
    /// interval passed (at most <see cref="MaxEmptyBlocksPerRound"/> a round, so transactions are not held up), or, when
    /// catching up (<see cref="_catchUpPending"/>), <see cref="CatchUpSlice"/> of them a round until the head reaches the
    /// clock, and none past block <paramref name="upTo"/>. The <see cref="EmptyBlockMark"/> covers them before any is published.
    /// </summary>
    private void SealEmptyBlocks(bool catchUp, ulong upTo = ulong.MaxValue)
    {
        if (!MaySealEmpty)
        {
            // An open block (one inherited at a takeover) is sealed first and the catch-up follows it; otherwise there is
            // nothing to catch up (off, not leading: set again on becoming leader, or nothing but genesis yet).
            _catchUpPending &= _blocks.Open is not null;
            return;
        }

        _catchUpPending = false;
        if (!catchUp && _time.GetTimestamp() - _lastBlockAt < _emptyTicks)
        {
            return;
        }

        // Each empty block is one second and one number after its parent: how many are due is known before sealing any.
        var now = (ulong)_time.GetUtcNow().ToUnixTimeSeconds();
        var head = _blocks.LastSealed;
        var due = head.Timestamp < now ? now - head.Timestamp : 0;
        var count = Math.Min(Math.Min(due, catchUp ? (ulong)CatchUpSlice : MaxEmptyBlocksPerRound), upTo > head.Number ? upTo - head.Number : 0);
        if (count == 0 || _stopRequested || !TryMark(head.Number + count))
        {
            return;
        }

        for (var i = 0UL; i < count && !_stopRequested; i++)
        {
            var block = _blocks.SealEmpty();
            _metrics.BlockSealed();
            _publisher.AwaitBlock(block);
            _lastBlockAt = _time.GetTimestamp();
        }

        _catchUpPending = catchUp && !_stopRequested && count < due && _blocks.LastSealed.Number < upTo;
    }

    /// <summary>
    /// Blocks up to <paramref name="number"/> may be published: said durably first (<see cref="EmptyBlockMark"/>). When the
    /// mark cannot be written (a full disk), no empty block is sealed this round: they only keep an idle head moving.
    /// </summary>
    private bool TryMark(ulong number)
    {
        if (_mark is null || number <= _marked)
        {
            return true;
        }

        try
        {
            _mark.Write(number);
            _marked = number;
            return true;
        }
        catch (IOException)
        {
            return false;
        }
    }

    private ulong _marked;

    private const int MaxEmptyBlocksPerRound = 64;

    // Empty blocks of a catch-up sealed per round (~0.3 s of the writer's time), so that transactions are looked at between.
    private const int CatchUpSlice = 8192;
}
