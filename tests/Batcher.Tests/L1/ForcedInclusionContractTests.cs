using Batcher.L1;
using Nethereum.Contracts;
using Primitives;
using Primitives.Chain;
using TestInfrastructure.Anvil;

namespace Batcher.Tests.L1;

/// <summary>BatchInbox's forced-inclusion queue on a real anvil (docs/l1.md, "Forced inclusion").</summary>
[Collection(AnvilFixture.Collection)]
public sealed class ForcedInclusionContractTests(AnvilFixture anvil)
{
    private static readonly string[] Errors =
    [
        "ForcedEntryOverdue(uint64,uint64,uint64)", "ForcedRangeBeyondQueue(uint64,uint256)", "ForcedTransactionSize(uint256)",
        "UnexpectedBatchIndex(uint64,uint64)", "BondBelowMinimum(uint256,uint256)",
    ];

    [Fact]
    public async Task Force_include_queues_in_order_with_an_index_and_an_event()
    {
        var rig = await InboxRig.DeployAsync(anvil.Node);

        var first = await rig.ForceIncludeAsync([0x02, 0xaa]);
        var second = await rig.ForceIncludeAsync([0x02, 0xbb, 0xcc]);

        var queued = second.DecodeAllEvents<ForcedTransactionQueuedEvent>().Single().Event;
        Assert.Equal(1UL, queued.QueueIndex);
        Assert.Equal(Keccak.Hash([0x02, 0xbb, 0xcc]).ToArray(), queued.TxHash);
        Assert.Equal([0x02, 0xbb, 0xcc], queued.RawTx);
        Assert.Equal((ulong)second.BlockNumber.Value, queued.L1Block);
        Assert.Equal(0UL, first.DecodeAllEvents<ForcedTransactionQueuedEvent>().Single().Event.QueueIndex);
        Assert.Equal(2, (int)await rig.QueryAsync<ForcedQueueLengthFunction, System.Numerics.BigInteger>(new ForcedQueueLengthFunction()));
    }

    [Fact]
    public async Task An_empty_forced_transaction_is_refused()
    {
        var rig = await InboxRig.DeployAsync(anvil.Node);

        Assert.Equal("ForcedTransactionSize", await rig.RevertOfAsync(InboxRig.ProverKey, new ForceIncludeFunction { RawTx = [] }, Errors));
    }

    [Fact]
    public async Task A_batch_within_the_window_may_leave_an_entry_and_a_later_one_consumes_it()
    {
        var rig = await InboxRig.DeployAsync(anvil.Node, window: 5);
        await rig.ForceIncludeAsync([0x02, 0x01]);

        var early = await rig.AppendAsync(rig.Batch(0, 1, 1, Leaves(0, 1)));
        var consuming = await rig.AppendAsync(rig.Batch(1, 2, 2, Leaves(1, 1), forcedThrough: 1));

        Assert.Equal(1, (int)early.Status.Value);
        var appended = consuming.DecodeAllEvents<BatchAppendedEvent>().Single().Event;
        Assert.Equal((0UL, 1UL), (appended.ForcedFrom, appended.ForcedThrough));
        Assert.Equal(1UL, appended.FirstSequence);
        Assert.Equal(1UL, await rig.QueryAsync<NextForcedIndexFunction, ulong>(new NextForcedIndexFunction()));
    }

    [Fact]
    public async Task A_batch_that_skips_an_overdue_entry_reverts_and_the_same_batch_consuming_it_lands()
    {
        var rig = await InboxRig.DeployAsync(anvil.Node, window: 5);
        await rig.ForceIncludeAsync([0x02, 0x01]);
        await rig.ForceIncludeAsync([0x02, 0x02]);
        await rig.MineAsync(6);

        Assert.Equal("ForcedEntryOverdue", await rig.RevertOfAsync(AnvilNode.DevKey1, rig.Batch(0, 1, 3, Leaves(0, 4)), Errors));
        // Consuming only the first still leaves the second overdue.
        Assert.Equal("ForcedEntryOverdue", await rig.RevertOfAsync(AnvilNode.DevKey1, rig.Batch(0, 1, 3, Leaves(0, 4), forcedThrough: 1), Errors));
        Assert.Equal("ForcedRangeBeyondQueue", await rig.RevertOfAsync(AnvilNode.DevKey1, rig.Batch(0, 1, 3, Leaves(0, 4), forcedThrough: 3), Errors));

        var receipt = await rig.AppendAsync(rig.Batch(0, 1, 3, Leaves(0, 4), forcedThrough: 2));
        Assert.Equal(1, (int)receipt.Status.Value);
        Assert.Equal(2UL, await rig.QueryAsync<NextForcedIndexFunction, ulong>(new NextForcedIndexFunction()));
    }

    [Fact]
    public async Task Appending_needs_the_minimum_bond()
    {
        var rig = await InboxRig.DeployAsync(anvil.Node, minimumBond: 1000);

        Assert.Equal("BondBelowMinimum", await rig.RevertOfAsync(AnvilNode.DevKey1, rig.Batch(0, 1, 1, Leaves(0, 1)), Errors));
        await rig.PostBondAsync(1000);
        Assert.Equal(1, (int)(await rig.AppendAsync(rig.Batch(0, 1, 1, Leaves(0, 1)))).Status.Value);
    }

    internal static Hash32[] Leaves(ulong firstSequence, int count)
    {
        var raws = Enumerable.Range(0, count).Select(i => (ReadOnlyMemory<byte>)new byte[] { 0x02, (byte)firstSequence, (byte)i }).ToList();
        return TransactionTree.Leaves(firstSequence, Hash32.Zero, raws);
    }
}
