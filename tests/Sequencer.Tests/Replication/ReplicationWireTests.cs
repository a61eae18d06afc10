using Primitives;
using Sequencer.Log;
using Sequencer.Replication;

namespace Sequencer.Tests.Replication;

public sealed class ReplicationWireTests
{
    [Fact]
    public void A_group_reads_back_as_the_records_and_epoch_that_were_written()
    {
        var entries = new MemoryStream();
        var first = new TxLogRecord(7, 3, 0, 1_700_000_000, 1, 21_000, new Address(Enumerable.Repeat((byte)5, 20).ToArray()), new Hash32(Enumerable.Repeat((byte)9, 32).ToArray()));
        var second = first with { Sequence = 8, Index = 1, Nonce = 2 };
        ReplicationWire.AppendRecord(entries, first, [1, 2, 3]);
        ReplicationWire.AppendRecord(entries, second, [4, 5]);

        var records = ReplicationWire.TryReadGroup(ReplicationWire.Group(40, 2, [entries.ToArray()]), out var epoch, out var problem);

        Assert.Null(problem);
        Assert.Equal(40, epoch);
        Assert.Equal([first, second], records!.Select(r => r.Record));
        Assert.Equal([4, 5], records![1].Raw);
    }

    [Theory]
    [InlineData(0)]  // the count says none, yet records follow
    [InlineData(3)]  // the count says more records than there are
    public void A_malformed_group_is_refused_with_a_reason(int count)
    {
        var entries = new MemoryStream();
        ReplicationWire.AppendRecord(entries, new TxLogRecord(0, 1, 0, 1, 0, 21_000, new Address(new byte[20]), Hash32.Zero), [1]);
        var body = ReplicationWire.Group(1, count, [entries.ToArray()]);

        Assert.Null(ReplicationWire.TryReadGroup(body, out _, out var problem));
        Assert.False(string.IsNullOrEmpty(problem));
    }

    [Fact]
    public void A_group_of_no_records_carries_the_leaders_commit_index_and_the_place_of_the_record_before_it()
    {
        var point = new CommitPoint(42, Keccak.Hash([1, 2, 3]), BlockNumber: 139, Index: 2, Timestamp: 1_700_000_003);
        var records = ReplicationWire.TryReadGroup(ReplicationWire.Group(7, point, 0, []), out var epoch, out var commit, out var problem);

        Assert.NotNull(records);
        Assert.Empty(records);
        Assert.Null(problem);
        Assert.Equal(7, epoch);
        Assert.Equal(point, commit);
    }

    [Fact]
    public void Records_out_of_sequence_order_are_refused()
    {
        var entries = new MemoryStream();
        var record = new TxLogRecord(5, 1, 0, 1, 0, 21_000, new Address(new byte[20]), Hash32.Zero);
        ReplicationWire.AppendRecord(entries, record, [1]);
        ReplicationWire.AppendRecord(entries, record with { Sequence = 7 }, [1]);

        Assert.Null(ReplicationWire.TryReadGroup(ReplicationWire.Group(1, 2, [entries.ToArray()]), out _, out var problem));
        Assert.Contains("does not follow", problem, StringComparison.Ordinal);
    }
}
