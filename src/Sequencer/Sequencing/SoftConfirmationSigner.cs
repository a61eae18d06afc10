using System.Buffers.Binary;
using System.Text;
using Primitives;
using Sequencer.Chain;

namespace Sequencer.Sequencing;

/// <summary>
/// EIP-712 signing of soft confirmations, exactly as DESIGN.md fixes them:
/// domain { name: "RollupSequencer", version: "1", chainId } and primary type
/// SoftConfirmation(bytes32 txHash,uint64 sequence,uint64 blockNumber,uint32 index,uint64 timestamp,bytes32 accumulator).
/// </summary>
internal sealed class SoftConfirmationSigner
{
    public const string TypeString =
        "SoftConfirmation(bytes32 txHash,uint64 sequence,uint64 blockNumber,uint32 index,uint64 timestamp,bytes32 accumulator)";

    private static readonly Hash32 TypeHash = Keccak.Hash(Encoding.ASCII.GetBytes(TypeString));
    private static readonly Hash32 DomainTypeHash = Keccak.Hash("EIP712Domain(string name,string version,uint256 chainId)"u8);

    private readonly SequencerKey _key;
    private readonly byte[] _domainSeparator;

    public SoftConfirmationSigner(SequencerKey key, ulong chainId)
    {
        _key = key;
        Span<byte> domain = stackalloc byte[4 * 32];
        DomainTypeHash.CopyTo(domain);
        Keccak.Hash("RollupSequencer"u8).CopyTo(domain[32..]);
        Keccak.Hash("1"u8).CopyTo(domain[64..]);
        WriteUInt256(domain[96..], chainId);
        _domainSeparator = Keccak.Hash(domain).ToArray();
    }

    public Address Sequencer => _key.Address;

    public ReadOnlySpan<byte> DomainSeparator => _domainSeparator;

    /// <summary>
    /// The soft confirmation's 65-byte signature, made once on first use and kept on the transaction. Signing is
    /// deterministic (RFC 6979), so a race that signs twice stores identical bytes.
    /// </summary>
    public byte[] SignatureOf(SequencedTransaction tx)
    {
        var signature = tx.Signature;
        if (signature is null)
        {
            signature = Sign(tx);
            tx.Signature = signature;
        }

        return signature;
    }

    public byte[] Sign(SequencedTransaction tx) => _key.Sign(ComputeDigest(tx).Bytes);

    /// <summary>keccak256(0x19 ‖ 0x01 ‖ domainSeparator ‖ hashStruct(confirmation)).</summary>
    public Hash32 ComputeDigest(SequencedTransaction tx)
    {
        Span<byte> encoded = stackalloc byte[7 * 32];
        TypeHash.CopyTo(encoded);
        tx.Hash.CopyTo(encoded[32..]);
        WriteUInt256(encoded[64..], (ulong)tx.Sequence);
        WriteUInt256(encoded[96..], tx.BlockNumber);
        WriteUInt256(encoded[128..], tx.Index);
        WriteUInt256(encoded[160..], tx.Timestamp);
        tx.Accumulator.CopyTo(encoded[192..]);
        var structHash = Keccak.Hash(encoded);

        Span<byte> message = stackalloc byte[2 + 32 + 32];
        message[0] = 0x19;
        message[1] = 0x01;
        _domainSeparator.CopyTo(message[2..]);
        structHash.CopyTo(message[34..]);
        return Keccak.Hash(message);
    }

    private static void WriteUInt256(Span<byte> destination, ulong value)
    {
        destination[..24].Clear();
        BinaryPrimitives.WriteUInt64BigEndian(destination[24..], value);
    }
}
