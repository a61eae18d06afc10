namespace Sequencer.Replication;

/// <summary>What a link sends next (<see cref="FollowerLink"/>): held groups, records from the log while catching up, or the commit index alone.</summary>
internal sealed partial class FollowerLink
{
    /// <summary>The commit index and the record before it, as this request carries them (none when unknown).</summary>
    private CommitPoint CommitPointNow()
    {
        var end = Volatile.Read(ref _commit);
        return end > 0 && _commitPointAt(end) is { } point ? point : default;
    }

    /// <summary>No records to send, but a commit index the follower has not heard: a request of no records carries it.</summary>
    private (byte[] Body, long Epoch)? CommitOnlyRequest(CommitPoint commit)
    {
        if (commit.End <= _sentCommit || IsCatchingUp || _epoch() is not { } epoch)
        {
            return null;
        }

        lock (_lock)
        {
            return _groups.First is null ? (ReplicationWire.Group(epoch, commit, 0, []), epoch) : null;
        }
    }

    /// <summary>Under the lock: the next request from the log while the follower catches up (in this node's epoch); null when it is done (or cannot go on yet).</summary>
    private (byte[]? Body, long First, long End, long Epoch) NextCatchUpRequest(long from, CommitPoint commit)
    {
        var until = _groups.First is { } head ? head.Value.First : _localDurableEnd();
        if (from >= until)
        {
            if (_groups.First is not null || from >= _localDurableEnd())
            {
                _catchUpFrom = null;
                LogCaughtUp(NodeId, from);
            }

            return (null, 0, 0, 0);
        }

        if (_epoch() is not { } epoch)
        {
            return (null, 0, 0, 0); // not leading (any more): nothing to send
        }

        try
        {
            if (_log!.Read(from, until, MaxRequestBytes) is not { } read)
            {
                return (null, 0, 0, 0);
            }

            return (ReplicationWire.Group(epoch, commit, read.Count, [read.Entries]), from, read.End, epoch);
        }
        catch (Exception ex) when (ex is Log.WalCorruptedException or IOException)
        {
            if (Trouble("catch-up: " + ex.Message))
            {
                LogCatchUpFailed(NodeId, ex.Message);
            }

            return (null, 0, 0, 0);
        }
    }

    /// <summary>The groups at the head, of one epoch, up to the request size (or records from the log while catching up); null when there are none.</summary>
    private (byte[]? Body, long First, long End, long Epoch) NextRequest(CommitPoint commit)
    {
        lock (_lock)
        {
            if (_catchUpFrom is { } from)
            {
                var request = NextCatchUpRequest(from, commit);
                if (request.Body is not null || _catchUpFrom is not null)
                {
                    return request;
                }
            }

            if (_groups.First is not { } first)
            {
                return (null, 0, 0, 0);
            }

            var entries = new List<ReadOnlyMemory<byte>>();
            var count = 0;
            var bytes = 0;
            var end = first.Value.First;
            for (var node = first; node is not null && node.Value.Epoch == first.Value.Epoch
                && (count == 0 || bytes + node.Value.Entries.Length <= MaxRequestBytes); node = node.Next)
            {
                entries.Add(node.Value.Entries);
                count += node.Value.Count;
                bytes += node.Value.Entries.Length;
                end = node.Value.End;
            }

            return (ReplicationWire.Group(first.Value.Epoch, commit, count, entries), first.Value.First, end, first.Value.Epoch);
        }
    }
}
