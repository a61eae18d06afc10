using Admission.Identity;
using Admission.Limits;
using Admission.People;
using Primitives;

namespace Admission.Sponsorship;

/// <summary>
/// Zero-fee transactions a wallet signed itself (docs/admission.md, "Linked wallets"): admitted on the sponsored lane only
/// when the wallet is linked to a person, under the policy rule for provider "wallet" and the person's limits. The
/// sequencer never holds the wallet's key; it only decides whether to sequence what the wallet signed.
/// </summary>
public sealed class LinkedWalletGate
{
    /// <summary>The -32003 message for a zero-fee transaction from a wallet that is linked to no person.</summary>
    public const string NotLinkedMessage =
        "zero-fee transactions are only accepted on the sponsored lane: from a wallet linked to a logged-in person (POST /auth/link/wallet), or through sequencer_sendSponsoredTransaction";

    private readonly SponsoredTransactionGate gate;
    private readonly IPersonStore people;

    // Internal: the host gets it from AddAdmission; its parts are Admission's own.
    internal LinkedWalletGate(SponsoredTransactionGate gate, IPersonStore people)
    {
        this.gate = gate;
        this.people = people;
    }

    /// <summary>
    /// Null when <paramref name="wallet"/> is linked to no person (the caller refuses with <see cref="NotLinkedMessage"/>), else the
    /// gate's decision for the wallet's call, counted under its person.
    /// </summary>
    public async ValueTask<AdmissionDecision?> AdmitAsync(Address wallet, string to, byte[] data, UInt128 value, ulong gas, CancellationToken cancellationToken = default)
    {
        var identity = Of(wallet);
        string? person;
        try
        {
            person = await people.PersonOfAsync(identity.Key, cancellationToken).ConfigureAwait(false);
        }
        catch (RateLimitStoreUnavailableException)
        {
            return AdmissionDecision.Limit(LimitRules.LimiterUnavailable, "sponsored transactions are paused: the rate limiter is unavailable", 1_000, null);
        }

        if (person is null)
        {
            return null;
        }

        return await gate.AdmitAsync(gate.Policy, identity, new SponsoredCall(to.ToLowerInvariant(), data, value, gas), consume: true, cancellationToken, limitKey: person).ConfigureAwait(false);
    }

    /// <summary>A wallet as an identity: provider "wallet", subject the lower-case address, no claims.</summary>
    public static AdmissionIdentity Of(Address wallet) =>
        new(PersonKeys.WalletProvider, "eip-4361", wallet.ToString().ToLowerInvariant(), new Dictionary<string, string>());
}
