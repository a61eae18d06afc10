using System.Diagnostics.CodeAnalysis;
using Primitives;
using Sequencer.Sequencing;
using Sequencer.Chain;

namespace Sequencer.Rpc.Dto;

/// <summary>The signed soft confirmation as JSON (docs/rpc.md): numbers as hex quantities.</summary>
public class SoftConfirmationDto
{
    public SoftConfirmationDto()
    {
    }

    /// <summary>For replies that extend the confirmation (e.g. the sponsored reply adds its sender).</summary>
    [SetsRequiredMembers]
    protected SoftConfirmationDto(SoftConfirmationDto confirmation)
    {
        ArgumentNullException.ThrowIfNull(confirmation);
        TxHash = confirmation.TxHash;
        Sequence = confirmation.Sequence;
        BlockNumber = confirmation.BlockNumber;
        Index = confirmation.Index;
        Timestamp = confirmation.Timestamp;
        Accumulator = confirmation.Accumulator;
        Sequencer = confirmation.Sequencer;
        Signature = confirmation.Signature;
    }

    public required string TxHash { get; init; }

    public required string Sequence { get; init; }

    public required string BlockNumber { get; init; }

    public required string Index { get; init; }

    public required string Timestamp { get; init; }

    public required string Accumulator { get; init; }

    public required string Sequencer { get; init; }

    public required string Signature { get; init; }

    internal static SoftConfirmationDto Of(SequencedTransaction tx, SoftConfirmationSigner signer) => new()
    {
        TxHash = tx.Hash.ToString(),
        Sequence = Hex.EncodeQuantity((ulong)tx.Sequence),
        BlockNumber = Hex.EncodeQuantity(tx.BlockNumber),
        Index = Hex.EncodeQuantity(tx.Index),
        Timestamp = Hex.EncodeQuantity(tx.Timestamp),
        Accumulator = tx.Accumulator.ToString(),
        Sequencer = signer.Sequencer.ToString(),
        Signature = Hex.Encode(signer.SignatureOf(tx)),
    };
}
