using Sequencer.Execution;
using Sequencer.Transactions;

namespace Sequencer.Sequencing;

/// <summary>
/// Raw bytes in, durable transaction out: the intake (size, decode, validate, recover) runs on the
/// caller's thread, then the core orders it. Used by every lane.
/// </summary>
/// <remarks>With an execution node configured, the funds check refuses paid txs whose sender cannot pay.</remarks>
internal sealed class TransactionSubmitter(TransactionIntake intake, SequencerCore core, SequencerMetrics metrics, IFundsCheck? funds = null)
{
    public async ValueTask<SubmitOutcome> SubmitAsync(byte[] raw, TxLane lane, CancellationToken cancellationToken)
    {
        if (!intake.TryAccept(raw, lane, out var tx, out var rejection))
        {
            metrics.Rejected(rejection.ReasonTag);
            return new SubmitOutcome(null, rejection, default);
        }

        if (funds is not null)
        {
            var refused = await funds.ReserveAsync(tx, lane, cancellationToken).ConfigureAwait(false);
            if (refused.IsRejected)
            {
                metrics.Rejected(refused.ReasonTag);
                return new SubmitOutcome(tx, refused, default);
            }
        }

        var request = new SequencingRequest(tx.Hash, raw, tx.Sender, tx.Nonce, tx.GasLimit);
        SequencingOutcome outcome = default;
        try
        {
            outcome = await core.SubmitAsync(request, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            funds?.Settle(tx, lane, outcome.Transaction);
        }

        return new SubmitOutcome(tx, TxRejection.None, outcome);
    }
}

/// <summary>Either a transaction the intake refused, or what the core made of it.</summary>
internal readonly record struct SubmitOutcome(DecodedTransaction? Decoded, TxRejection Rejection, SequencingOutcome Sequencing)
{
    public SequencedTransaction? Confirmed => Rejection.IsRejected ? null : Sequencing.Transaction;
}
