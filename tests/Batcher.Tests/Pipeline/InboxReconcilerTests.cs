using Batcher.L1;
using Batcher.Pipeline;

namespace Batcher.Tests.Pipeline;

/// <summary>
/// The reconciliation plan for each way L1 can disagree with the batcher's records. Batch i covers blocks
/// 2i+1..2i+2 throughout; posts carry nonce 20 + i unless a test says otherwise.
/// </summary>
public sealed class InboxReconcilerTests
{
    private const string Inbox = "0x00000000000000000000000000000000000000aa";

    [Fact]
    public void Posts_in_flight_that_will_be_mined_in_order_change_nothing()
    {
        // Batch 5 is mined (not yet deep enough), 6 waits in the pool under the next nonce.
        var checkpoint = Checkpoint(made: 7, confirmedUpTo: 4, inFlight: [Post(5), Post(6)]);

        var plan = Plan(checkpoint, View(nextIndex: 6, nonce: 26));

        Assert.False(plan.Changed, string.Join("; ", plan.Findings));
        Assert.Empty(plan.Reposts);
    }

    [Fact]
    public void An_L1_reset_gives_up_every_post_in_flight_and_posts_every_batch_again_from_nonce_zero()
    {
        var checkpoint = Checkpoint(made: 14, confirmedUpTo: 9, inFlight: [Post(10), Post(11), Post(12), Post(13)]);
        checkpoint.ConfirmedPost = new ConfirmedPost(9, 29, "0x" + new string('9', 64), 40);

        var plan = Plan(checkpoint, View(nextIndex: 0, nonce: 0), journal: Journal(0, 14));

        Assert.True(plan.Changed);
        Assert.Equal(Enumerable.Range(0, 14).Select(i => (ulong)i), plan.Reposts.Select(r => r.Index));
        Assert.All(plan.Reposts.Take(10), r => Assert.Null(r.GivenUp));
        Assert.All(plan.Reposts.Skip(10), r => Assert.Equal(r.Index, r.GivenUp!.BatchIndex));
        Assert.Equal(0UL, plan.NextNonce);
        Assert.Empty(plan.InFlight);
        Assert.Null(plan.LastConfirmedBatch);
        Assert.Null(plan.ConfirmedPost);
        Assert.Equal(new ulong[] { 30, 31, 32, 33 }, plan.Replacing.Keys.Order());
        Assert.Contains(plan.Findings, f => f.Contains("expects batch 0 next, but batches up to 9 were confirmed", StringComparison.Ordinal));
        Assert.Null(plan.RewindIndex);
    }

    [Fact]
    public void A_reorg_deeper_than_the_confirmation_depth_posts_again_from_the_first_batch_the_inbox_lost()
    {
        // Batches 7-9 were confirmed, then a reorg took them and every post after them off L1.
        var checkpoint = Checkpoint(made: 12, confirmedUpTo: 9, inFlight: [Post(10), Post(11)]);

        var plan = Plan(checkpoint, View(nextIndex: 7, nonce: 27), journal: Journal(0, 12));

        Assert.Equal([7UL, 8, 9, 10, 11], plan.Reposts.Select(r => r.Index));
        Assert.Equal(27UL, plan.NextNonce);
        Assert.Equal(6L, plan.LastConfirmedBatch);
    }

    [Fact]
    public void A_post_whose_nonce_another_transaction_took_is_given_up_and_posted_again_under_the_next_nonce()
    {
        var checkpoint = Checkpoint(made: 7, confirmedUpTo: 4, inFlight: [Post(5), Post(6)]);

        // Nonce 25 (batch 5's) is used, yet the inbox still expects batch 5.
        var plan = Plan(checkpoint, View(nextIndex: 5, nonce: 26), journal: Journal(0, 7));

        Assert.Equal([5UL, 6], plan.Reposts.Select(r => r.Index));
        Assert.Equal(26UL, plan.NextNonce);
        Assert.Empty(plan.InFlight);
        Assert.Equal(4L, plan.LastConfirmedBatch);
    }

    [Fact]
    public void Posts_after_a_gap_in_nonces_are_given_up_while_those_before_it_stay()
    {
        // Batch 5 waits under nonce 25 as it should; batch 6's post is under nonce 27, after a gap it can never cross.
        var checkpoint = Checkpoint(made: 7, confirmedUpTo: 4, inFlight: [Post(5), Post(6, nonce: 27)]);

        var plan = Plan(checkpoint, View(nextIndex: 5, nonce: 25), journal: Journal(0, 7));

        Assert.Equal([5UL], plan.InFlight.Select(p => p.BatchIndex));
        Assert.Equal([6UL], plan.Reposts.Select(r => r.Index));
        Assert.Equal(26UL, plan.NextNonce);
        Assert.True(plan.Replacing.ContainsKey(27));
    }

    [Fact]
    public void An_inbox_that_holds_another_batch_under_an_index_is_refused_with_both_hashes()
    {
        var checkpoint = Checkpoint(made: 3, confirmedUpTo: 2, inFlight: []);
        var foreign = Enumerable.Repeat((byte)0xee, 32).ToArray();

        var error = Assert.Throws<L1PostingException>(() =>
            InboxReconciler.Plan(checkpoint, View(nextIndex: 3, nonce: 23), foreign, Journal(0, 3), false, atStart: true, Inbox));

        Assert.Contains("holds batch 2 with hash 0x" + new string('e', 64), error.Message);
        Assert.Contains("made it with hash " + Hash(2), error.Message);
    }

    [Fact]
    public void An_inbox_ahead_of_a_lost_checkpoint_is_adopted_at_start_and_refused_while_running()
    {
        var checkpoint = Checkpoint(made: 0, confirmedUpTo: -1, inFlight: []);

        var plan = Plan(checkpoint, View(nextIndex: 4, nonce: 4));
        Assert.True(plan.AdoptInbox);

        var error = Assert.Throws<L1PostingException>(() =>
            InboxReconciler.Plan(checkpoint, View(nextIndex: 4, nonce: 4), null, Journal(0, 0), false, atStart: false, Inbox));
        Assert.Contains("made batches only up to -1", error.Message);
    }

    [Fact]
    public void A_replica_leading_again_adopts_an_inbox_that_other_replicas_moved_past_its_posts_in_flight_but_a_single_node_refuses()
    {
        // This replica led, was killed with batches 3 and 4 in flight; other replicas led and posted up to batch 20 since.
        var checkpoint = Checkpoint(made: 5, confirmedUpTo: 2, inFlight: [Post(3), Post(4)]);
        var view = View(nextIndex: 21, nonce: 41);

        var plan = InboxReconciler.Plan(checkpoint, view, null, Journal(0, 5), false, atStart: true, Inbox, replicaSet: true);

        Assert.True(plan.AdoptInbox);
        Assert.Empty(plan.InFlight);
        Assert.Equal(41UL, plan.NextNonce);
        var single = Assert.Throws<L1PostingException>(() => InboxReconciler.Plan(checkpoint, view, null, Journal(0, 5), false, atStart: true, Inbox));
        Assert.Contains("another batcher posts with this key", single.Message, StringComparison.Ordinal);
        Assert.Throws<L1PostingException>(() => InboxReconciler.Plan(checkpoint, view, null, Journal(0, 5), false, atStart: false, Inbox, replicaSet: true));
    }

    [Fact]
    public void Batches_the_journal_has_no_record_of_are_built_again_from_the_block_after_the_last_known_one()
    {
        var checkpoint = Checkpoint(made: 10, confirmedUpTo: 9, inFlight: []);

        // The journal starts at batch 8 (a data directory from before the journal was kept with L1 on).
        var plan = Plan(checkpoint, View(nextIndex: 8, nonce: 28), journal: Journal(8, 10));
        Assert.Equal([8UL, 9], plan.Reposts.Select(r => r.Index));
        Assert.Null(plan.RewindIndex);

        var missing = Plan(checkpoint, View(nextIndex: 5, nonce: 25), journal: Journal(8, 10));
        Assert.Empty(missing.Reposts);
        Assert.Equal(5UL, missing.RewindIndex);
        Assert.Equal(11UL, missing.RewindBlock);
        Assert.Equal(25UL, missing.NextNonce);
    }

    [Fact]
    public void The_view_shows_each_disagreement_with_its_reason()
    {
        var checkpoint = Checkpoint(made: 14, confirmedUpTo: 9, inFlight: [Post(10)]);
        checkpoint.ConfirmedPost = new ConfirmedPost(9, 29, "0x" + new string('9', 64), 40);
        const string address = "0x00000000000000000000000000000000000000bb";

        Assert.Null(InboxReconciler.Disagreement(checkpoint, View(nextIndex: 10, nonce: 30), address, Inbox));
        Assert.Equal("inbox_missing", InboxReconciler.Disagreement(checkpoint, View(10, 30) with { InboxDeployed = false }, address, Inbox)!.Code);
        var nonce = InboxReconciler.Disagreement(checkpoint, View(nextIndex: 10, nonce: 0), address, Inbox)!;
        Assert.Equal("nonce_behind", nonce.Code);
        Assert.Contains("the L1 nonce of " + address + " is 0, but its post of batch 9 under nonce 29 was confirmed", nonce.Message);
        var inbox = InboxReconciler.Disagreement(checkpoint, View(nextIndex: 3, nonce: 30), address, Inbox)!;
        Assert.Equal("inbox_behind", inbox.Code);
        Assert.Contains("expects batch 3 next, but batches up to 9 were confirmed there", inbox.Message);
        Assert.Equal("inbox_ahead", InboxReconciler.Disagreement(checkpoint, View(nextIndex: 15, nonce: 35), address, Inbox)!.Code);
        var behindGap = Checkpoint(made: 14, confirmedUpTo: 9, inFlight: [Post(10, nonce: 32)]);
        Assert.Equal("nonce_gap", InboxReconciler.Disagreement(behindGap, View(nextIndex: 10, nonce: 30), address, Inbox)!.Code);
    }

    private static ReconcilePlan Plan(BatcherCheckpoint checkpoint, L1View view, Dictionary<ulong, BatchRecord>? journal = null)
    {
        journal ??= Journal(0, checkpoint.NextBatchIndex);
        var inboxLastHash = view.NextBatchIndex > 0 && view.NextBatchIndex <= checkpoint.NextBatchIndex
            ? Convert.FromHexString(Hash(view.NextBatchIndex - 1)[2..])
            : null;
        return InboxReconciler.Plan(checkpoint, view, inboxLastHash, journal, confirmedPostGone: false, atStart: true, Inbox);
    }

    private static L1View View(ulong nextIndex, ulong nonce) => new(100, nonce, true, nextIndex, 2 * nextIndex + 1);

    private static BatcherCheckpoint Checkpoint(ulong made, long confirmedUpTo, List<PostRecord> inFlight) => new()
    {
        NextBatchIndex = made,
        NextBlock = 2 * made + 1,
        LastConfirmedBatch = confirmedUpTo < 0 ? null : confirmedUpTo,
        NextNonce = inFlight.Count > 0 ? inFlight[^1].Nonce + 1 : 20 + made,
        InFlight = inFlight,
    };

    private static PostRecord Post(ulong index, ulong? nonce = null) => new()
    {
        BatchIndex = index,
        FirstBlock = 2 * index + 1,
        LastBlock = 2 * index + 2,
        BatchHash = Hash(index),
        Commitment = "0x02" + new string('c', 64),
        Nonce = nonce ?? 20 + index,
        Signed = [new SignedPost("0x" + new string('d', 64), "0x02", "2000000000", "1000000000", DateTimeOffset.UnixEpoch)],
    };

    private static Dictionary<ulong, BatchRecord> Journal(ulong from, ulong to)
    {
        var records = new Dictionary<ulong, BatchRecord>();
        for (var i = from; i < to; i++)
        {
            records[i] = new BatchRecord(i, 2 * i + 1, 2 * i + 2, Hash(i), "0x" + new string('a', 64), "0x02" + new string('c', 64), 2, "0x" + new string('b', 64), 0);
        }

        return records;
    }

    private static string Hash(ulong index) => "0x" + index.ToString("x64");
}
