using Primitives;
using Sequencer.Chain;
using Sequencer.Replication;

namespace Sequencer.Tests.Replication;

/// <summary>
/// A follower's commit-index shortcut (docs/replication.md, "Commit index"): it publishes past the records it just checked
/// only when its own record before the leader's commit index is the leader's record there — prefix and place.
/// </summary>
public sealed class CommitPointTests
{
    private static readonly Hash32 Accumulator = Keccak.Hash([7, 7]);

    [Fact]
    public void A_held_record_with_the_leaders_accumulator_and_place_lets_the_follower_publish_up_to_the_commit_index()
    {
        var held = Held(block: 136, index: 0, timestamp: 1_000);

        Assert.Equal(10, ReplicaAppendEndpoint.PublishableEnd(CommitPoint.After(held), verifiedEnd: 0, localDurableEnd: 10, held));
    }

    [Fact]
    public void A_held_record_with_the_leaders_accumulator_in_another_block_is_not_published_on_the_leaders_commit_index()
    {
        // A deposed leader sequenced T at 9 in block 136; the new leader sequenced the re-sent T at 9 too, same prefix, so
        // the same accumulator, but in block 139. The follower's 9 is not the leader's and must not be served or signed.
        var held = Held(block: 136, index: 0, timestamp: 1_000);
        var leaders = new CommitPoint(10, Accumulator, BlockNumber: 139, Index: 0, Timestamp: 1_003);

        Assert.Equal(0, ReplicaAppendEndpoint.PublishableEnd(leaders, verifiedEnd: 0, localDurableEnd: 10, held));
        Assert.Equal(0, ReplicaAppendEndpoint.PublishableEnd(leaders with { BlockNumber = 136, Index = 1 }, 0, 10, held));
        Assert.Equal(0, ReplicaAppendEndpoint.PublishableEnd(leaders with { BlockNumber = 136, Timestamp = 1_001 }, 0, 10, held));
    }

    [Fact]
    public void The_records_just_checked_against_the_leaders_are_published_whatever_the_held_record_before_the_commit_index()
    {
        var leaders = new CommitPoint(10, Accumulator, BlockNumber: 139, Index: 0, Timestamp: 1_003);

        Assert.Equal(6, ReplicaAppendEndpoint.PublishableEnd(leaders, verifiedEnd: 6, localDurableEnd: 10, Held(136, 0, 1_000)));
        Assert.Equal(6, ReplicaAppendEndpoint.PublishableEnd(leaders, verifiedEnd: 6, localDurableEnd: 10, held: null));
    }

    private static SequencedTransaction Held(ulong block, uint index, ulong timestamp) =>
        new(9, Keccak.Hash([9]), [2, 1], new Address(new byte[20]), 0, 21_000, block, index, timestamp, Accumulator);
}
