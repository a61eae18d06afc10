using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.DependencyInjection;
using Primitives;
using Sequencer.Chain;
using Sequencer.History;
using Sequencer.Sequencing;

namespace Sequencer.Tests.Sequencing;

public sealed class DurabilityPublisherTests
{
    private const int Waiters = 200;

    [Fact]
    public void A_confirmed_transaction_is_not_kept_reachable_by_the_publisher()
    {
        // Whatever the publisher still references after answering survives every gen0 until its holder dies: that was
        // a ConcurrentQueue peeked at (a peeked segment keeps each dequeued slot), so every confirmed transaction, its
        // request and its task were promoted, and the GC pauses grew with the rate.
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        using var metrics = new SequencerMetrics(services.GetRequiredService<IMeterFactory>());
        var store = new ChainStore(BlockAssembler.CreateGenesis(0, 30_000_000));
        var publisher = new DurabilityPublisher(store, [], metrics, 0);
        var answered = Queue(publisher);

        publisher.Durable(Waiters);
        publisher.Dispose(); // a last pass over what is durable, then the thread ends
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();

        var kept = answered.Count(weak => weak.IsAlive);
        Assert.Equal(0, kept);
        GC.KeepAlive(publisher);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static List<WeakReference> Queue(DurabilityPublisher publisher)
    {
        var weak = new List<WeakReference>(Waiters * 2);
        for (var i = 0; i < Waiters; i++)
        {
            var raw = new byte[100];
            raw[0] = (byte)i;
            var request = new SequencingRequest(default, raw, default, (ulong)i, 21_000);
            var transaction = new SequencedTransaction(i, default, raw, default, (ulong)i, 21_000, 1, (uint)i, 0, default);
            publisher.Await(i + 1, request, transaction);
            weak.Add(new WeakReference(request));
            weak.Add(new WeakReference(transaction));
        }

        return weak;
    }
}
