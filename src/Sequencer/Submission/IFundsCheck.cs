using Sequencer.Transactions;
using Sequencer.Chain;

namespace Sequencer.Submission;

/// <summary>
/// State-aware admission: whether the sender can pay for a paid transaction, counting what its
/// sequenced but not yet executed transactions will spend.
/// </summary>
internal interface IFundsCheck
{
    /// <summary>Checks <paramref name="tx"/> and, if it may go on, reserves its cost until it is executed.</summary>
    ValueTask<TxRejection> ReserveAsync(DecodedTransaction tx, TxLane lane, CancellationToken cancellationToken);

    /// <summary>After the core answered: keeps the reservation until the block is executed, or drops it if the tx was not sequenced.</summary>
    void Settle(DecodedTransaction tx, TxLane lane, SequencedTransaction? sequenced);
}
