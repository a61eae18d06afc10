using System.Diagnostics.CodeAnalysis;

namespace Sequencer.Rpc.Dto;

/// <summary>Reply of sequencer_sendSponsoredTransaction: the soft confirmation plus the identity account it is from.</summary>
public sealed class SponsoredConfirmationDto : SoftConfirmationDto
{
    [SetsRequiredMembers]
    private SponsoredConfirmationDto(SoftConfirmationDto confirmation, string from, ulong nonce, ulong gas)
        : base(confirmation)
    {
        From = from;
        Nonce = Primitives.Hex.EncodeQuantity(nonce);
        Gas = Primitives.Hex.EncodeQuantity(gas);
    }

    /// <summary>The caller's identity account.</summary>
    public required string From { get; init; }

    public required string Nonce { get; init; }

    public required string Gas { get; init; }

    internal static SponsoredConfirmationDto Create(SoftConfirmationDto confirmation, string from, ulong nonce, ulong gas) =>
        new(confirmation, from, nonce, gas);
}
