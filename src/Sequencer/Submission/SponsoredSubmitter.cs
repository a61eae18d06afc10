using Admission.Accounts;
using Admission.Identity;
using Admission.Sponsorship;
using Sequencer.Sequencing;
using Sequencer.Transactions;

namespace Sequencer.Submission;

/// <summary>
/// Signs an admitted sponsored call with the identity's account and hands it to the core with its known hash and
/// sender: the sequencer built the transaction, so nothing decodes it or recovers its sender again.
/// </summary>
/// <remarks>
/// Nonces. An account's next nonce is the nonce book's, plus one for each of its transactions that are queued but
/// not yet answered (<see cref="SponsoredNonces"/>). Taking a nonce, signing and queueing happen together under the
/// account's lock (a stripe of locks, so memory stays fixed however many identities there are); the lock is released
/// as soon as the transaction is in the core's queue, before its fsync. The queue is first in, first out, so the
/// core sees one account's transactions in nonce order and sequences each at once: concurrent requests of one
/// identity share a group commit instead of waiting for each other's fsync.
/// </remarks>
internal sealed class SponsoredSubmitter(SequencerCore core, NonceBook nonces, IdentityAccounts accounts, TransactionValidator validator, SequencerMetrics metrics)
{
    private const int Stripes = 256;

    private readonly SemaphoreSlim[] _locks = CreateLocks();
    private readonly SponsoredNonces _nonces = new(nonces);

    public async ValueTask<(SubmitOutcome Outcome, SignedSponsoredTransaction? Signed)> SubmitAsync(AdmissionIdentity identity, SponsoredCall call, ulong gas)
    {
        var sender = accounts.AddressOf(identity);
        var stripe = _locks[(uint)sender.GetHashCode() % Stripes];
        SignedSponsoredTransaction signed;
        SequencingRequest request;
        while (true)
        {
            await stripe.WaitAsync().ConfigureAwait(false);
            Task? refusedBefore;
            try
            {
                if (_nonces.TryNext(sender, out var nonce, out refusedBefore))
                {
                    signed = accounts.Sign(identity, call, gas, nonce, validator.ChainId);
                    var rejection = validator.ValidateSponsored(signed.Raw.Length, gas, call.Data);
                    if (rejection.IsRejected)
                    {
                        metrics.Rejected(rejection.ReasonTag);
                        return (new SubmitOutcome(null, rejection, default), signed);
                    }

                    request = new SequencingRequest(signed.Hash, signed.Raw, sender, nonce, gas) { Lane = TxLane.Sponsored };

                    // Not the client's cancellation: once the nonce is taken, the transaction must reach the core or be refused.
                    if (await core.EnqueueAsync(request, CancellationToken.None).ConfigureAwait(false) is { } refused)
                    {
                        return (new SubmitOutcome(null, TxRejection.None, refused), signed);
                    }

                    _nonces.Queued(sender, nonce);
                    break;
                }
            }
            finally
            {
                stripe.Release();
            }

            // An earlier transaction of this account was refused after it was queued, so the ones behind it wait for a
            // nonce that will not come: take the next nonce from the nonce book once all of them are answered.
            await refusedBefore!.ConfigureAwait(false);
        }

        var outcome = await request.Completion.ConfigureAwait(false);
        await stripe.WaitAsync().ConfigureAwait(false);
        try
        {
            _nonces.Answered(sender, sequenced: outcome.Transaction is not null);
        }
        finally
        {
            stripe.Release();
        }

        return (new SubmitOutcome(null, TxRejection.None, outcome), signed);
    }

    private static SemaphoreSlim[] CreateLocks()
    {
        var locks = new SemaphoreSlim[Stripes];
        for (var i = 0; i < locks.Length; i++)
        {
            locks[i] = new SemaphoreSlim(1, 1);
        }

        return locks;
    }
}
