using Sequencer.Sequencing;
using Sequencer.Chain;

namespace Sequencer.Tests.Infrastructure;

/// <summary>
/// A chain observer that can hold back the news that transactions are durable: while held, the log's thread waits
/// inside <see cref="TransactionsDurable"/>, before the core completes anyone's request, as if the fsync had not
/// returned. Held for at most <see cref="MaxHold"/>, so that a failing test cannot hang the host's shutdown.
/// </summary>
internal sealed class DurabilityGate : IChainObserver, IDisposable
{
    public static readonly TimeSpan MaxHold = TimeSpan.FromSeconds(60);

    private readonly ManualResetEventSlim _open = new(initialState: true);

    public void Hold() => _open.Reset();

    public void Release() => _open.Set();

    public void TransactionsDurable(long fromSequence, long toSequenceExclusive) => _open.Wait(MaxHold);

    public void BlockPublished(ChainBlock block)
    {
    }

    public void Dispose()
    {
        _open.Set();
        _open.Dispose();
    }
}
