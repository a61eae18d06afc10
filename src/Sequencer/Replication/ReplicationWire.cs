using System.Buffers.Binary;
using System.Text;
using Primitives;
using Sequencer.Log;

namespace Sequencer.Replication;

/// <summary>
/// The bodies of <c>POST /replication/append</c> (docs/replication.md, "Replication stream"), little-endian.
/// Group: <c>u8 version(3) | i64 epoch | i64 commit | 32 bytes commit accumulator | u64 block | u32 index | u64 timestamp |
/// u32 count | count × (u32 length | write-ahead log payload)</c>, each payload exactly as <see cref="TxLogRecord"/> stores
/// it. <c>commit</c> is the leader's commit index (the end MinAcks replicas hold, docs/replication.md "Commit index"); the
/// accumulator, block, index and timestamp are those of sequence commit − 1 on the leader, so that a follower can tell its
/// own prefix and that record's place are the leader's (<see cref="CommitPoint"/>); a group of no records carries only those. Ack: <c>u8 status | u64 highest epoch seen | i64 durable end |
/// UTF-8 reason</c> (for <see cref="ReplicaAckStatus.Mismatch"/>, the end the follower knows committed).
/// </summary>
internal static class ReplicationWire
{
    public const byte Version = 3;
    public const int HeaderBytes = 1 + 8 + 8 + Hash32.Length + 8 + 4 + 8 + 4;
    private const int CountAt = 17 + Hash32.Length + 8 + 4 + 8;

    /// <summary>Appends one record's entry (length and payload) to <paramref name="buffer"/>.</summary>
    public static void AppendRecord(MemoryStream buffer, in TxLogRecord record, ReadOnlySpan<byte> raw)
    {
        var length = record.FixedBytes + raw.Length;
        var start = (int)buffer.Length;
        buffer.SetLength(start + 4 + length);
        var span = buffer.GetBuffer().AsSpan(start, 4 + length);
        BinaryPrimitives.WriteUInt32LittleEndian(span, (uint)length);
        record.WritePayload(raw, span[4..]);
        buffer.Position = buffer.Length;
    }

    /// <summary>A request body: the header, then the concatenated entries of one or more groups of one epoch.</summary>
    public static byte[] Group(long epoch, int count, IReadOnlyList<ReadOnlyMemory<byte>> entries) => Group(epoch, default, count, entries);

    /// <summary>A request body carrying the leader's commit index (no records: a commit-only message).</summary>
    public static byte[] Group(long epoch, CommitPoint commit, int count, IReadOnlyList<ReadOnlyMemory<byte>> entries)
    {
        var length = HeaderBytes;
        foreach (var entry in entries)
        {
            length += entry.Length;
        }

        var body = new byte[length];
        body[0] = Version;
        BinaryPrimitives.WriteInt64LittleEndian(body.AsSpan(1), epoch);
        BinaryPrimitives.WriteInt64LittleEndian(body.AsSpan(9), commit.End);
        commit.Accumulator.CopyTo(body.AsSpan(17));
        BinaryPrimitives.WriteUInt64LittleEndian(body.AsSpan(17 + Hash32.Length), commit.BlockNumber);
        BinaryPrimitives.WriteUInt32LittleEndian(body.AsSpan(25 + Hash32.Length), commit.Index);
        BinaryPrimitives.WriteUInt64LittleEndian(body.AsSpan(29 + Hash32.Length), commit.Timestamp);
        BinaryPrimitives.WriteUInt32LittleEndian(body.AsSpan(CountAt), (uint)count);
        var at = HeaderBytes;
        foreach (var entry in entries)
        {
            entry.Span.CopyTo(body.AsSpan(at));
            at += entry.Length;
        }

        return body;
    }

    /// <summary>Reads a request body; null with <paramref name="problem"/> when it is malformed.</summary>
    public static List<(TxLogRecord Record, byte[] Raw)>? TryReadGroup(ReadOnlySpan<byte> body, out long epoch, out string? problem) =>
        TryReadGroup(body, out epoch, out _, out problem);

    /// <summary>Reads a request body and the leader's commit index; null with <paramref name="problem"/> when it is malformed.</summary>
    public static List<(TxLogRecord Record, byte[] Raw)>? TryReadGroup(ReadOnlySpan<byte> body, out long epoch, out CommitPoint commit, out string? problem)
    {
        epoch = 0;
        commit = default;
        if (body.Length < HeaderBytes || body[0] != Version)
        {
            problem = "not a replication group (version 3)";
            return null;
        }

        epoch = BinaryPrimitives.ReadInt64LittleEndian(body[1..]);
        commit = new CommitPoint(BinaryPrimitives.ReadInt64LittleEndian(body[9..]), new Hash32(body.Slice(17, Hash32.Length)),
            BinaryPrimitives.ReadUInt64LittleEndian(body[(17 + Hash32.Length)..]), BinaryPrimitives.ReadUInt32LittleEndian(body[(25 + Hash32.Length)..]),
            BinaryPrimitives.ReadUInt64LittleEndian(body[(29 + Hash32.Length)..]));
        var count = BinaryPrimitives.ReadUInt32LittleEndian(body[CountAt..]);
        var records = new List<(TxLogRecord, byte[])>((int)Math.Min(count, 65_536));
        var rest = body[HeaderBytes..];
        for (var i = 0u; i < count; i++)
        {
            if (rest.Length < 4)
            {
                problem = $"group truncated at record {i} of {count}";
                return null;
            }

            var length = BinaryPrimitives.ReadUInt32LittleEndian(rest);
            if (length > rest.Length - 4 || !TxLogRecord.TryRead(rest.Slice(4, (int)length), out var record, out var raw))
            {
                problem = $"record {i} of {count} is malformed";
                return null;
            }

            if (records.Count > 0 && record.Sequence != records[^1].Item1.Sequence + 1)
            {
                problem = $"record {i} of {count} does not follow sequence {records[^1].Item1.Sequence}";
                return null;
            }

            records.Add((record, raw.ToArray()));
            rest = rest[(4 + (int)length)..];
        }

        if (!rest.IsEmpty)
        {
            problem = "bytes after the last record";
            return null;
        }

        if (commit.End < 0)
        {
            problem = "negative commit index";
            return null;
        }

        problem = null;
        return records;
    }

    public static byte[] Ack(ReplicaAckStatus status, long highestEpoch, long durableEnd, string? reason)
    {
        var text = Encoding.UTF8.GetBytes(reason ?? "");
        var body = new byte[17 + text.Length];
        body[0] = (byte)status;
        BinaryPrimitives.WriteInt64LittleEndian(body.AsSpan(1), highestEpoch);
        BinaryPrimitives.WriteInt64LittleEndian(body.AsSpan(9), durableEnd);
        text.CopyTo(body.AsSpan(17));
        return body;
    }

    public static bool TryReadAck(ReadOnlySpan<byte> body, out ReplicaAck ack)
    {
        if (body.Length < 17 || body[0] > (byte)ReplicaAckStatus.Mismatch)
        {
            ack = default;
            return false;
        }

        ack = new ReplicaAck((ReplicaAckStatus)body[0], BinaryPrimitives.ReadInt64LittleEndian(body[1..]),
            BinaryPrimitives.ReadInt64LittleEndian(body[9..]), Encoding.UTF8.GetString(body[17..]));
        return true;
    }
}

/// <summary>A follower's answer to one append.</summary>
internal enum ReplicaAckStatus : byte
{
    /// <summary>Durable on the follower up to <see cref="ReplicaAck.DurableEnd"/>.</summary>
    Durable = 0,

    /// <summary>The follower has accepted a newer epoch: the sender no longer leads.</summary>
    StaleEpoch = 1,

    /// <summary>Not taken, for the reason given (a gap, a conflict, not following this leader yet).</summary>
    Refused = 2,

    /// <summary>
    /// Not taken: the first record does not follow this replica's log (its prefix there is another history, Raft's failed
    /// consistency check). <see cref="ReplicaAck.DurableEnd"/> is then the end this replica knows committed, below the
    /// first record: its log equals every leader's up to there, so the leader sends again from there, and the first
    /// record that differs after an equal prefix shows where the histories part.
    /// </summary>
    Mismatch = 3,
}

internal readonly record struct ReplicaAck(ReplicaAckStatus Status, long HighestEpoch, long DurableEnd, string Reason);

