using Sequencer.Chain;
namespace Sequencer.Sequencing;

/// <summary>
/// Told, in order and on the log's thread, what just became durable. Implementations must only
/// enqueue: anything slow here delays every confirmation.
/// </summary>
internal interface IChainObserver
{
    void TransactionsDurable(long fromSequence, long toSequenceExclusive);

    void BlockPublished(ChainBlock block);
}
