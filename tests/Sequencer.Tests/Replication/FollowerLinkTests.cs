using System.Collections.Concurrent;
using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Primitives;
using Sequencer.Log;
using Sequencer.Replication;
using TestInfrastructure;

namespace Sequencer.Tests.Replication;

/// <summary>The leader's link to one follower, against a stand-in follower (unit test: the real one is in ReplicaSetTests).</summary>
public sealed class FollowerLinkTests
{
    [Fact]
    public async Task Groups_of_an_epoch_the_follower_refuses_as_stale_are_let_go_so_a_later_term_is_not_stuck_behind_them()
    {
        var follower = new StandInFollower(acceptedEpoch: 7);
        await using var link = new FollowerLink("b", new Uri("http://127.0.0.1:1"), "secret-secret-secret", follower, NullLogger.Instance);
        long acknowledged = 0;
        link.Acknowledged += (end, _) => Interlocked.Exchange(ref acknowledged, end);

        // A group of this node's old term (epoch 5), then, leading again, one of epoch 8.
        link.Ship(Group(5, 0));
        await Eventually.UntilAsync(() => follower.Epochs.Contains(5), TimeSpan.FromSeconds(30), "the old group sent");
        link.Ship(Group(8, 1));

        await Eventually.UntilAsync(() => Interlocked.Read(ref acknowledged) == 2, TimeSpan.FromSeconds(30),
            "the new term's group acknowledged; sent: " + string.Join(",", follower.Epochs));
    }

    [Fact]
    public async Task Groups_of_this_nodes_earlier_term_are_let_go_when_a_follower_refuses_them_before_it_accepted_any_newer_epoch()
    {
        // A follower restarted while this node lost its lease and won again: it follows epoch 8 in etcd but has accepted
        // nothing since epoch 4, so its stale_epoch answer carries 4. Seen in the failover test: the link kept re-sending
        // the epoch-6 group for good and the follower never acknowledged again.
        var follower = new StandInFollower(acceptedEpoch: 4, followsEpoch: 8);
        long? epoch = 6;
        await using var link = new FollowerLink("b", new Uri("http://127.0.0.1:1"), "secret-secret-secret", follower, NullLogger.Instance, epoch: () => epoch);
        long acknowledged = 0;
        link.Acknowledged += (end, _) => Interlocked.Exchange(ref acknowledged, end);

        link.Ship(Group(6, 0));
        await Eventually.UntilAsync(() => follower.Epochs.Contains(6), TimeSpan.FromSeconds(30), "the old term's group sent");
        epoch = 8;
        link.Ship(Group(8, 1));

        await Eventually.UntilAsync(() => Interlocked.Read(ref acknowledged) == 2, TimeSpan.FromSeconds(30),
            "the new term's group acknowledged; sent: " + string.Join(",", follower.Epochs));
    }

    [Fact]
    public async Task A_new_leaders_first_request_of_no_records_counts_as_its_probe_and_the_follower_is_caught_up_right_after()
    {
        // A node that followed heard of commits; it wins: the commit-only request its link sends first must do the probe's
        // work, not leave the probe to a round trip of its own before the catch-up (on the way to the first confirmation).
        var wal = Directory.CreateTempSubdirectory("link-probe-").FullName;
        try
        {
            Sequencer.Tests.Log.TestLogWriter.WriteThroughLog(wal, 1 << 20, 0, [[0x02], [0x02], [0x02]], () => 3);
            var follower = new StandInFollower(acceptedEpoch: 9, heldEnd: 3);
            long? epoch = null;
            await using var link = new FollowerLink("b", new Uri("http://127.0.0.1:1"), "secret-secret-secret", follower, NullLogger.Instance,
                catchUp: wal, localDurableEnd: () => 3, epoch: () => epoch, commitPointAt: end => new CommitPoint(end, Hash32.Zero));
            link.CommitAdvanced(3);
            epoch = 9;
            link.Probe();

            await Eventually.UntilAsync(() => follower.RecordCounts.Count >= 2, TimeSpan.FromSeconds(30), "two requests sent");
            Assert.Equal([0, 1], follower.RecordCounts.Take(2));
        }
        finally
        {
            Directory.Delete(wal, recursive: true);
        }
    }

    private static ShippedGroup Group(long epoch, long sequence)
    {
        var entry = new MemoryStream();
        ReplicationWire.AppendRecord(entry, new TxLogRecord(sequence, 1, (uint)sequence, 1_700_000_000, 0, 21_000, new Address(new byte[20]), Hash32.Zero, epoch), [0x02]);
        return new ShippedGroup(epoch, sequence, sequence + 1, entry.ToArray());
    }

    /// <summary>
    /// Refuses groups below the epoch it follows as stale (answering with the epoch it accepted); takes any other and holds
    /// everything up to the group's end.
    /// </summary>
    private sealed class StandInFollower(long acceptedEpoch, long? followsEpoch = null, long heldEnd = 0) : HttpMessageHandler
    {
        public ConcurrentQueue<long> Epochs { get; } = new();

        /// <summary>How many records each request carried, in order.</summary>
        public ConcurrentQueue<int> RecordCounts { get; } = new();

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var body = await request.Content!.ReadAsByteArrayAsync(cancellationToken);
            var records = ReplicationWire.TryReadGroup(body, out var epoch, out _)!;
            Epochs.Enqueue(epoch);
            RecordCounts.Enqueue(records.Count);
            var stale = epoch < (followsEpoch ?? acceptedEpoch);
            var answer = stale
                ? ReplicationWire.Ack(ReplicaAckStatus.StaleEpoch, acceptedEpoch, 1, "stale_epoch")
                : ReplicationWire.Ack(ReplicaAckStatus.Durable, epoch, records.Count == 0 ? heldEnd : records[^1].Record.Sequence + 1, null);
            return new HttpResponseMessage(stale ? HttpStatusCode.Conflict : HttpStatusCode.OK) { Content = new ByteArrayContent(answer) };
        }
    }
}
