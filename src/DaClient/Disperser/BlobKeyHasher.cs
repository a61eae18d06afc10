using System.Buffers.Binary;
using System.Numerics;
using System.Text;
using DaClient.Disperser.Wire;

namespace DaClient.Disperser;

/// <summary>
/// The v2 blob key: keccak256(abi.encode(headerHash, paymentMetadataHash)), where
/// <code>
/// headerHash          = keccak256(abi.encode(uint16 version, bytes sortedQuorums,
///                         ((uint256,uint256) commitment, (uint256[2],uint256[2]) lengthCommitment,
///                          (uint256[2],uint256[2]) lengthProof, uint32 length)))
/// paymentMetadataHash = keccak256(abi.encode((string accountId, int64 timestamp, uint256 cumulativePayment)))
/// </code>
/// with G2 coordinates in (A1, A0) order, as the on-chain hasher expects. The ABI layout is
/// fixed and small, so it is written out word by word rather than through a generic encoder.
/// </summary>
internal static class BlobKeyHasher
{
    private const int Word = 32;

    public static byte[] ComputeBlobKey(BlobHeader header)
    {
        ArgumentNullException.ThrowIfNull(header);
        var key = new byte[2 * Word];
        HeaderHash(header).CopyTo(key, 0);
        PaymentMetadataHash(header.PaymentHeader ?? throw new DaRejectedException("blob header has no payment header")).CopyTo(key, Word);
        return DaCommitment.Keccak256(key);
    }

    public static byte[] HeaderHash(BlobHeader header)
    {
        var commitment = header.Commitment ?? throw new DaRejectedException("blob header has no commitment");
        var quorums = new byte[header.QuorumNumbers.Count];
        for (var i = 0; i < quorums.Length; i++)
        {
            quorums[i] = checked((byte)header.QuorumNumbers[i]);
        }

        Array.Sort(quorums);

        var g1 = Bn254Point.DecompressG1(commitment.Commitment.Span);
        var lengthCommitment = Bn254Point.DecompressG2(commitment.LengthCommitment.Span);
        var lengthProof = Bn254Point.DecompressG2(commitment.LengthProof.Span);

        const int headWords = 2 + 2 + 4 + 4 + 1;
        var paddedQuorums = (quorums.Length + Word - 1) / Word * Word;
        var buffer = new byte[(headWords + 1) * Word + paddedQuorums];
        var span = buffer.AsSpan();
        WriteUInt(span, 0, checked((ushort)header.Version));
        WriteUInt(span, 1, headWords * Word);
        WriteBig(span, 2, g1.X);
        WriteBig(span, 3, g1.Y);
        WriteG2(span, 4, lengthCommitment);
        WriteG2(span, 8, lengthProof);
        WriteUInt(span, 12, commitment.Length);
        WriteUInt(span, 13, (ulong)quorums.Length);
        quorums.CopyTo(span[((headWords + 1) * Word)..]);
        return DaCommitment.Keccak256(buffer);
    }

    public static byte[] PaymentMetadataHash(PaymentHeader payment)
    {
        var account = Encoding.UTF8.GetBytes(payment.AccountId);
        var paddedAccount = (account.Length + Word - 1) / Word * Word;
        var buffer = new byte[5 * Word + paddedAccount];
        var span = buffer.AsSpan();
        WriteUInt(span, 0, Word); // offset of the (dynamic) tuple
        WriteUInt(span, 1, 3 * Word); // offset of the string inside the tuple
        if (payment.Timestamp < 0)
        {
            throw new DaRejectedException("payment timestamp must not be negative");
        }

        WriteUInt(span, 2, (ulong)payment.Timestamp);
        WriteBig(span, 3, new BigInteger(payment.CumulativePayment.Span, isUnsigned: true, isBigEndian: true));
        WriteUInt(span, 4, (ulong)account.Length);
        account.CopyTo(span[(5 * Word)..]);
        return DaCommitment.Keccak256(buffer);
    }

    private static void WriteG2(Span<byte> buffer, int word, Bn254Point.G2 point)
    {
        WriteBig(buffer, word, point.X.A1);
        WriteBig(buffer, word + 1, point.X.A0);
        WriteBig(buffer, word + 2, point.Y.A1);
        WriteBig(buffer, word + 3, point.Y.A0);
    }

    private static void WriteUInt(Span<byte> buffer, int word, ulong value) =>
        BinaryPrimitives.WriteUInt64BigEndian(buffer.Slice(word * Word + Word - 8, 8), value);

    private static void WriteBig(Span<byte> buffer, int word, BigInteger value) =>
        Bn254Point.WriteCoordinate(value, buffer.Slice(word * Word, Word));
}
