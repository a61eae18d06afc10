using System.Net;
using System.Runtime.CompilerServices;
using Admission.Sponsorship;
using Sequencer.Sequencing;
using Sequencer.Transactions;
using Sequencer.Chain;

namespace Sequencer.Submission;

/// <summary>
/// Raw bytes in, durable transaction out: the intake (size, decode, validate, recover) runs on the
/// caller's thread, then the paid-lane limits (per sender, per client IP; when admission is wired in),
/// then the core orders it. Used by the paid lane; the sponsored lane builds its transactions itself and queues
/// them with their known sender (<see cref="SponsoredSubmitter"/>).
/// </summary>
/// <remarks>With an execution node configured, the funds check refuses paid txs whose sender cannot pay.</remarks>
internal sealed class TransactionSubmitter(
    TransactionIntake intake,
    SequencerCore core,
    SequencerMetrics metrics,
    IFundsCheck? funds = null,
    PaidLaneGate? paidLane = null,
    LinkedWalletGate? linkedWallets = null)
{
    public ValueTask<SubmitOutcome> SubmitAsync(byte[] raw, TxLane lane, CancellationToken cancellationToken) =>
        SubmitAsync(raw, lane, null, cancellationToken);

    // Pooled frames: one per transaction per async layer was among the write path's largest allocations (issue 16);
    // every caller awaits the result once, which is all a pooled ValueTask allows.
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<SubmitOutcome> SubmitAsync(byte[] raw, TxLane lane, IPAddress? client, CancellationToken cancellationToken)
    {
        if (!intake.TryAccept(raw, lane, out var tx, out var rejection))
        {
            // A zero-fee transaction a wallet signed itself goes to the sponsored lane when the wallet is linked to a person.
            if (rejection.Reason == TxRejectionReason.ZeroFee && linkedWallets is not null)
            {
                return await SubmitLinkedWalletAsync(raw, linkedWallets, cancellationToken).ConfigureAwait(false);
            }

            metrics.Rejected(rejection.ReasonTag);
            return new SubmitOutcome(null, rejection, default);
        }

        // Enabled first: with no paid-lane limits in the policy nothing is allocated on this hot path.
        if (lane == TxLane.Paid && paidLane is { Enabled: true } &&
            await paidLane.CheckAsync(tx.Sender.ToString(), client?.ToString(), cancellationToken).ConfigureAwait(false) is { } limited)
        {
            metrics.Rejected("paid_lane_limit");
            return new SubmitOutcome(tx, TxRejection.None, default, limited);
        }

        return await SequenceAsync(tx, raw, lane, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// docs/admission.md "Linked wallets": checked as a sponsored-lane transaction (signature, chain, gas), then admitted by the
    /// gate under the wallet's person, or refused with -32003 when the wallet is linked to no person.
    /// </summary>
    private async ValueTask<SubmitOutcome> SubmitLinkedWalletAsync(byte[] raw, LinkedWalletGate gate, CancellationToken cancellationToken)
    {
        if (!intake.TryAccept(raw, TxLane.Sponsored, out var tx, out var rejection))
        {
            metrics.Rejected(rejection.ReasonTag);
            return new SubmitOutcome(null, rejection, default);
        }

        if (tx.To is not { } to)
        {
            metrics.Rejected("zero_fee");
            return new SubmitOutcome(tx, new TxRejection(TxRejectionReason.ZeroFee, "zero-fee transactions cannot create contracts: contract creation is not sponsored"), default);
        }

        var value = tx.Value > UInt128.MaxValue ? UInt128.MaxValue : (UInt128)tx.Value;
        var decision = await gate.AdmitAsync(tx.Sender, to.ToString(), tx.Data.ToArray(), value, tx.GasLimit, cancellationToken).ConfigureAwait(false);
        if (decision is null)
        {
            metrics.Rejected("zero_fee");
            return new SubmitOutcome(tx, new TxRejection(TxRejectionReason.ZeroFee, LinkedWalletGate.NotLinkedMessage), default);
        }

        if (!decision.IsAdmitted)
        {
            metrics.Rejected("linked_wallet_refused");
            return new SubmitOutcome(tx, TxRejection.None, default, decision);
        }

        return await SequenceAsync(tx, raw, TxLane.Sponsored, cancellationToken).ConfigureAwait(false);
    }

    // With an execution node, the funds check first (a linked wallet's value must be its own), then the core.
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<SubmitOutcome> SequenceAsync(DecodedTransaction tx, byte[] raw, TxLane lane, CancellationToken cancellationToken)
    {
        if (funds is not null)
        {
            var refused = await funds.ReserveAsync(tx, lane, cancellationToken).ConfigureAwait(false);
            if (refused.IsRejected)
            {
                metrics.Rejected(refused.ReasonTag);
                return new SubmitOutcome(tx, refused, default);
            }
        }

        var request = new SequencingRequest(tx.Hash, raw, tx.Sender, tx.Nonce, tx.GasLimit) { Lane = lane };
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

/// <summary>Either a transaction the intake refused, one the paid-lane limits held back, or what the core made of it.</summary>
internal readonly record struct SubmitOutcome(DecodedTransaction? Decoded, TxRejection Rejection, SequencingOutcome Sequencing, AdmissionDecision? Limited = null)
{
    public SequencedTransaction? Confirmed => Rejection.IsRejected || Limited is not null ? null : Sequencing.Transaction;
}
