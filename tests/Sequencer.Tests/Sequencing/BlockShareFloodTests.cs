using Xunit.Abstractions;
using System.Diagnostics.Metrics;
using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Primitives;
using Sequencer.History;
using Sequencer.Options;
using Sequencer.Sequencing;
using Sequencer.Transactions;

namespace Sequencer.Tests.Sequencing;

/// <summary>
/// The block shares under a flood, end to end through the core: the real write-ahead log (fsync on), the real clock,
/// the lanes kept at their limit by producers that retry "sequencer busy" (with and without a paid flood), and the
/// chain's gas per second bounded by MinBlockIntervalMs. Measured on the sealed blocks, over 120 of them after a warm-up.
/// No timing is asserted: only what the sealed blocks hold.
/// </summary>
public sealed class BlockShareFloodTests(ITestOutputHelper output)
{
    private const ulong Gas = 21_000;
    private const int TxPerBlock = 40;
    private const int Warmup = 10;
    private const int Measured = 120;
    private const int CapPercent = 10;
    private const int SponsoredIdentities = 20;

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task UnderAFloodAtTheQueuesLimit_SponsoredTransactionsKeepTheirShare_EachIdentityItsTurnAndNoneAboveItsCap(bool paidFlood)
    {
        var directory = Directory.CreateTempSubdirectory("block-share-").FullName;
        var options = new SequencerOptions
        {
            DataDirectory = directory,
            BlockGasLimit = Gas * TxPerBlock,
            MinBlockIntervalMs = 20,
            QueueCapacity = 512,
            QueueWaitMs = 20,
            EmptyBlockIntervalMs = 0,
        };
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        using var dataDirectory = DataDirectoryLock.Acquire(directory);
        using var core = StandaloneCore.Create(options, dataDirectory, services.GetRequiredService<IMeterFactory>(), out var store,
            new LaneShares(SponsoredPercent: 70, MaxPerIdentityPercent: CapPercent));
        await core.StartAsync(CancellationToken.None);
        long yieldsBefore = -1, yieldsAfter = -1;

        // One identity sends from four accounts at once (its payer is one key); nineteen others from one account each.
        var heavy = Sender();
        var heavyAccounts = new HashSet<Address> { Sender(), Sender(), Sender(), Sender() };
        var sponsoredSenders = new HashSet<Address>(heavyAccounts);
        for (var i = 0; i < SponsoredIdentities - 1; i++)
        {
            sponsoredSenders.Add(Sender());
        }

        using var stop = new CancellationTokenSource();
        var busy = new int[2];
        var producers = new List<Task<List<Task<SequencingOutcome>>>>();
        for (var i = 0; i < (paidFlood ? 16 : 0); i++)
        {
            producers.Add(Task.Run(() => ProduceAsync(core, Sender(), TxLane.Paid, busy, stop.Token)));
        }

        foreach (var sender in sponsoredSenders)
        {
            var payer = heavyAccounts.Contains(sender) ? heavy : sender;
            producers.Add(Task.Run(() => ProduceAsync(core, sender, TxLane.Sponsored, busy, stop.Token, payer)));
        }

        // The first block with transactions, then warm-up and measured blocks after it (bounded: a stuck core fails the test).
        await TestInfrastructure.Eventually.UntilAsync(() =>
        {
            // The cap's give-ways while the measured blocks are sealed (read as close to their edges as a poll can).
            if (yieldsBefore < 0 && store.LatestBlockNumber >= Warmup)
            {
                yieldsBefore = core.CapYields;
            }

            return store.LatestBlockNumber >= Warmup + Measured + 1;
        }, TimeSpan.FromMinutes(3), $"{Warmup + Measured + 1} blocks sealed (now {store.LatestBlockNumber})");
        yieldsAfter = core.CapYields;
        await stop.CancelAsync();
        var submitted = new List<Task<SequencingOutcome>>();
        foreach (var producer in producers)
        {
            submitted.AddRange(await producer.WaitAsync(TimeSpan.FromMinutes(1)));
        }

        await core.StopAsync(CancellationToken.None).WaitAsync(TimeSpan.FromMinutes(1));
        await Task.WhenAll(submitted).WaitAsync(TimeSpan.FromMinutes(1));

        var flooded = paidFlood ? TxLane.Paid : TxLane.Sponsored;
        Assert.True(busy[(int)flooded] > 0, $"the {flooded} producers never met a full queue: the flood did not reach the queue's limit");
        ulong sponsoredGas = 0, totalGas = 0, heavyTotal = 0, maxIdentityGas = 0;
        var overCap = 0;
        var byIdentity = new Dictionary<Address, ulong>();
        for (var number = (ulong)Warmup + 1; number <= Warmup + Measured; number++)
        {
            var block = store.GetBlock(number)!;
            ulong blockSponsored = 0;
            byIdentity.Clear();
            for (var s = block.FirstSequence; s < block.FirstSequence + block.TransactionCount; s++)
            {
                var tx = store.GetSequenced(s)!;
                if (sponsoredSenders.Contains(tx.Sender))
                {
                    blockSponsored += tx.GasLimit;
                }

                var identity = heavyAccounts.Contains(tx.Sender) ? heavy : tx.Sender;
                byIdentity[identity] = byIdentity.GetValueOrDefault(identity) + tx.GasLimit;
            }

            Assert.True(block.GasUsed == options.BlockGasLimit, $"block {number} was not full ({block.GasUsed} gas): the lanes were not both backlogged");
            var blockMax = 0UL;
            foreach (var gas in byIdentity.Values)
            {
                blockMax = Math.Max(blockMax, gas);
            }

            heavyTotal += byIdentity.GetValueOrDefault(heavy);
            maxIdentityGas = Math.Max(maxIdentityGas, blockMax);
            overCap += blockMax > options.BlockGasLimit * CapPercent / 100 ? 1 : 0;
            sponsoredGas += blockSponsored;
            totalGas += block.GasUsed;
        }

        var share = 100.0 * sponsoredGas / totalGas;
        var heavyOfLane = 100.0 * heavyTotal / sponsoredGas;
        output.WriteLine($"sponsored share {share:0.00} % of {totalGas} gas in blocks {Warmup + 1}-{Warmup + Measured}; four-account identity " +
            $"{100.0 * heavyTotal / totalGas:0.00} % of the gas ({heavyOfLane:0.00} % of the sponsored lane's, fair {100.0 / SponsoredIdentities:0.00} %); " +
            $"most one identity took of a block {100.0 * maxIdentityGas / options.BlockGasLimit:0.00} %, above the {CapPercent} % cap in {overCap} blocks; " +
            $"'busy' replies: paid {busy[0]}, sponsored {busy[1]}; the cap gave way {yieldsAfter - yieldsBefore} times (nobody else waiting)");
        Assert.InRange(share, paidFlood ? 68.0 : 100.0, paidFlood ? 72.0 : 100.0);

        // The cap holds in every sealed block unless it had to give way: it does so only when every identity waiting is
        // at it (work-conserving), which the producers prevent on a quiet machine but not when the CPU starves them (a
        // loaded clean-clone run: 2 blocks at 12.5 %). More blocks above the cap than give-ways counted is a broken cap.
        // Without the paid flood, only the sponsored identities can take the room the cap keeps from the four-account one.
        Assert.True(overCap <= yieldsAfter - yieldsBefore,
            $"an identity took more than {CapPercent} % of the gas in {overCap} of {Measured} blocks, more than the {yieldsAfter - yieldsBefore} times the cap gave way");

        // Fairness across identities: the identity sending from four accounts gets one identity's turn in the sponsored lane
        // (1/20), not four accounts' worth (4/23, 17 %). Bounded at one and a half turns: producers starved of CPU on a
        // loaded machine leave their turns to the others, so the figure may move a little above 5 %.
        Assert.True(heavyOfLane <= 150.0 / SponsoredIdentities,
            $"the four-account identity took {heavyOfLane:0.00} % of the sponsored lane's gas; its turn is {100.0 / SponsoredIdentities:0.00} %");
        Directory.Delete(directory, recursive: true);
    }

    /// <summary>One sender's flood: each transaction queued as soon as the last one is in the queue; "busy" is retried with the same nonce.</summary>
    private static async Task<List<Task<SequencingOutcome>>> ProduceAsync(
        SequencerCore core, Address sender, TxLane lane, int[] busy, CancellationToken stop, Address? payer = null)
    {
        var queued = new List<Task<SequencingOutcome>>();
        var nonce = 0UL;
        while (!stop.IsCancellationRequested)
        {
            var request = new SequencingRequest(new Hash32(RandomNumberGenerator.GetBytes(Hash32.Length)), new byte[110], sender, nonce, Gas) { Lane = lane, Payer = payer ?? sender };
            var refused = await core.EnqueueAsync(request, CancellationToken.None);
            if (refused is null)
            {
                queued.Add(request.Completion);
                nonce++;
            }
            else if (refused.Value.Rejection == SequencingRejection.QueueFull)
            {
                // As a client would, it retries after a short pause (a refusal can come at once, without a wait).
                Interlocked.Increment(ref busy[(int)lane]);
                await Task.Delay(1, CancellationToken.None);
            }
            else
            {
                break; // stopping
            }
        }

        return queued;
    }

    private static Address Sender() => new(RandomNumberGenerator.GetBytes(Address.Length));
}
