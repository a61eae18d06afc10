using Admission.Sponsorship;

namespace Sequencer.Rpc.Dto;

/// <summary>Reply of sequencer_getIdentity: who the caller is, their account, and their limits today.</summary>
public sealed class IdentityDto
{
    public required string Provider { get; init; }

    public required string Subject { get; init; }

    public required string Identity { get; init; }

    public required string Address { get; init; }

    /// <summary>Next nonce of the account (hex quantity).</summary>
    public required string Nonce { get; init; }

    public required IdentityUsage Usage { get; init; }
}
