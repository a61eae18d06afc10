using Admission.Accounts;
using Admission.Identity;
using Admission.Sponsorship;
using Sequencer.Sequencing;
using Sequencer.Transactions;

namespace Sequencer.Submission;

/// <summary>
/// Signs an admitted sponsored call with the identity's account and submits it on the sponsored lane.
/// The next nonce comes from the nonce book; submissions of one account are serialized (by a stripe of
/// locks, so memory stays fixed however many identities there are) so that two concurrent requests never
/// take the same nonce. The lock is held until the core answers, which is what makes the nonce book current.
/// </summary>
internal sealed class SponsoredSubmitter(TransactionSubmitter submitter, NonceBook nonces, IdentityAccounts accounts, ulong chainId)
{
    private const int Stripes = 256;

    private readonly SemaphoreSlim[] _locks = CreateLocks();

    public async ValueTask<(SubmitOutcome Outcome, SignedSponsoredTransaction Signed)> SubmitAsync(AdmissionIdentity identity, SponsoredCall call, ulong gas)
    {
        var sender = accounts.AddressOf(identity);
        var stripe = _locks[(uint)sender.GetHashCode() % Stripes];
        await stripe.WaitAsync().ConfigureAwait(false);
        try
        {
            var signed = accounts.Sign(identity, call, gas, nonces.GetPending(sender), chainId);
            // Not the client's cancellation: once handed to the core, the outcome must be known before the next nonce is read.
            var outcome = await submitter.SubmitAsync(signed.Raw, TxLane.Sponsored, CancellationToken.None).ConfigureAwait(false);
            return (outcome, signed);
        }
        finally
        {
            stripe.Release();
        }
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
