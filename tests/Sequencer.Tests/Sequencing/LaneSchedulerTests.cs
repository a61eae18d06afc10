using Primitives;
using Sequencer.Sequencing;
using Sequencer.Transactions;

namespace Sequencer.Tests.Sequencing;

/// <summary>
/// The writer's choice of the next transaction (<see cref="LaneScheduler"/>) on its own: blocks are filled here the way
/// the writer fills them (a block is sealed when the chosen transaction does not fit), without a core.
/// </summary>
public sealed class LaneSchedulerTests
{
    private const ulong GasLimit = 1_000_000;

    [Theory]
    [InlineData(70)]
    [InlineData(50)]
    [InlineData(20)]
    public void BothLanesBacklogged_EachBlockGivesTheSponsoredLaneItsShareOfTheGas(int percent)
    {
        var scheduler = new LaneScheduler();
        Stage(scheduler, TxLane.Paid, payers: 50, each: 20, gas: 21_000);
        Stage(scheduler, TxLane.Sponsored, payers: 50, each: 20, gas: 21_000);

        var blocks = Fill(scheduler, new LaneShares(percent, 100), blockCount: 20);

        foreach (var block in blocks)
        {
            var share = 100.0 * block.Sponsored / (block.Sponsored + block.Paid);
            // Within one transaction (21,000 of ~1,000,000 gas, about 2 %) of the share, in every block.
            Assert.InRange(share, percent - 2.5, percent + 2.5);
        }
    }

    [Fact]
    public void SharesHoldInGas_WhenTheLanesSendTransactionsOfDifferentSizes()
    {
        var scheduler = new LaneScheduler();
        Stage(scheduler, TxLane.Paid, payers: 20, each: 50, gas: 200_000);
        Stage(scheduler, TxLane.Sponsored, payers: 50, each: 50, gas: 21_000);

        var blocks = Fill(scheduler, new LaneShares(70, 100), blockCount: 10);

        var sponsored = 0UL;
        var total = 0UL;
        foreach (var block in blocks)
        {
            sponsored += block.Sponsored;
            total += block.Sponsored + block.Paid;
        }

        Assert.InRange(100.0 * sponsored / total, 67, 73);
    }

    [Fact]
    public void ALaneWithNothingWaiting_LeavesItsRoomToTheOther()
    {
        var scheduler = new LaneScheduler();
        Stage(scheduler, TxLane.Paid, payers: 10, each: 100, gas: 21_000);

        var blocks = Fill(scheduler, new LaneShares(70, 100), blockCount: 5);

        foreach (var block in blocks)
        {
            Assert.Equal(0UL, block.Sponsored);
            Assert.Equal(47UL * 21_000, block.Paid); // as many as fit: the sponsored 70 % is not held empty
        }
    }

    [Fact]
    public void TheSponsoredLaneAlone_FillsWholeBlocksToo()
    {
        var scheduler = new LaneScheduler();
        Stage(scheduler, TxLane.Sponsored, payers: 10, each: 100, gas: 21_000);

        var blocks = Fill(scheduler, new LaneShares(30, 100), blockCount: 5);

        foreach (var block in blocks)
        {
            Assert.Equal(47UL * 21_000, block.Sponsored);
        }
    }

    [Fact]
    public void OneIdentityTakesAtMostItsCap_WhileOthersInItsLaneWait()
    {
        var scheduler = new LaneScheduler();
        var busy = Payer(1);
        for (var n = 0; n < 200; n++)
        {
            scheduler.Add(Request(TxLane.Sponsored, busy, 21_000));
        }

        Stage(scheduler, TxLane.Sponsored, payers: 20, each: 10, gas: 21_000, firstPayer: 100);

        var blocks = Fill(scheduler, new LaneShares(70, 10), blockCount: 4);

        foreach (var block in blocks)
        {
            Assert.True(block.ByPayer[busy] <= GasLimit / 10, $"the busy identity took {block.ByPayer[busy]} gas of a block");
        }
    }

    [Fact]
    public void TheCapGivesWay_WhenNobodyElseWaits()
    {
        var scheduler = new LaneScheduler();
        var alone = Payer(1);
        for (var n = 0; n < 100; n++)
        {
            scheduler.Add(Request(TxLane.Sponsored, alone, 21_000));
        }

        var blocks = Fill(scheduler, new LaneShares(70, 10), blockCount: 2);

        Assert.Equal(47UL * 21_000, blocks[0].ByPayer[alone]);
    }

    [Fact]
    public void IdentitiesOfALaneAreServedInTurn_AndEachOnesTransactionsInOrder()
    {
        var scheduler = new LaneScheduler();
        var a = Payer(1);
        var b = Payer(2);
        var sent = new List<SequencingRequest>();
        for (var n = 0; n < 3; n++)
        {
            sent.Add(Request(TxLane.Paid, a, 21_000, (ulong)n));
        }

        sent.Add(Request(TxLane.Paid, b, 21_000, 0));
        sent.Add(Request(TxLane.Paid, b, 21_000, 1));
        foreach (var request in sent)
        {
            scheduler.Add(request);
        }

        var order = new List<(Address, ulong)>();
        while (scheduler.TryTake(1, GasLimit, LaneShares.Default, out var next))
        {
            order.Add((next.Payer, next.Nonce));
            scheduler.Charge(next, 1, next.GasLimit);
        }

        Assert.Equal([(a, 0UL), (b, 0UL), (a, 1UL), (b, 1UL), (a, 2UL)], order);
        Assert.Equal(0, scheduler.Staged);
    }

    [Fact]
    public void NothingStaged_TakesNothing()
    {
        Assert.False(new LaneScheduler().TryTake(-1, GasLimit, LaneShares.Default, out _));
    }

    private sealed record Block(ulong Paid, ulong Sponsored, Dictionary<Address, ulong> ByPayer);

    /// <summary>Fills blocks the writer's way: take the next, seal when it does not fit, charge it to the block it lands in.</summary>
    private static List<Block> Fill(LaneScheduler scheduler, LaneShares shares, int blockCount)
    {
        var blocks = new List<Block>();
        var number = 1L;
        var current = new Block(0, 0, []);
        while (blocks.Count < blockCount && scheduler.TryTake(number, GasLimit, shares, out var next))
        {
            if (current.Paid + current.Sponsored + next.GasLimit > GasLimit)
            {
                blocks.Add(current);
                current = new Block(0, 0, []);
                number++;
            }

            scheduler.Charge(next, number, next.GasLimit);
            current = next.Lane == TxLane.Sponsored
                ? current with { Sponsored = current.Sponsored + next.GasLimit }
                : current with { Paid = current.Paid + next.GasLimit };
            current.ByPayer[next.Payer] = current.ByPayer.GetValueOrDefault(next.Payer) + next.GasLimit;
        }

        Assert.Equal(blockCount, blocks.Count);
        return blocks;
    }

    private static void Stage(LaneScheduler scheduler, TxLane lane, int payers, int each, ulong gas, int firstPayer = 1000)
    {
        for (var n = 0; n < each; n++)
        {
            for (var p = 0; p < payers; p++)
            {
                scheduler.Add(Request(lane, Payer(firstPayer + p + (lane == TxLane.Sponsored ? 100_000 : 0)), gas, (ulong)n));
            }
        }
    }

    private static Address Payer(int n)
    {
        var bytes = new byte[Address.Length];
        BitConverter.TryWriteBytes(bytes, n);
        return new Address(bytes);
    }

    private static SequencingRequest Request(TxLane lane, Address payer, ulong gas, ulong nonce = 0) =>
        new(Hash32.Zero, [], payer, nonce, gas) { Lane = lane };
}
