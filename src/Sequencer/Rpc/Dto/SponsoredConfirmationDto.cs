namespace Sequencer.Rpc.Dto;

/// <summary>Reply of sequencer_sendSponsoredTransaction: the soft confirmation plus the identity account it is from.</summary>
public sealed class SponsoredConfirmationDto
{
    public required string TxHash { get; init; }

    public required string Sequence { get; init; }

    public required string BlockNumber { get; init; }

    public required string Index { get; init; }

    public required string Timestamp { get; init; }

    public required string Accumulator { get; init; }

    public required string Sequencer { get; init; }

    public required string Signature { get; init; }

    /// <summary>The caller's identity account.</summary>
    public required string From { get; init; }

    public required string Nonce { get; init; }

    public required string Gas { get; init; }

    internal static SponsoredConfirmationDto Create(SoftConfirmationDto confirmation, string from, ulong nonce, ulong gas) => new()
    {
        TxHash = confirmation.TxHash,
        Sequence = confirmation.Sequence,
        BlockNumber = confirmation.BlockNumber,
        Index = confirmation.Index,
        Timestamp = confirmation.Timestamp,
        Accumulator = confirmation.Accumulator,
        Sequencer = confirmation.Sequencer,
        Signature = confirmation.Signature,
        From = from,
        Nonce = Primitives.Hex.EncodeQuantity(nonce),
        Gas = Primitives.Hex.EncodeQuantity(gas),
    };
}
