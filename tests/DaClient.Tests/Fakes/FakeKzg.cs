using System.Numerics;
using DaClient.Codec;
using DaClient.Disperser;
using static DaClient.Disperser.Bn254Point;

namespace DaClient.Tests.Fakes;

/// <summary>
/// Stand-in for the disperser's KZG committer: a real G1 point (k·G with k derived from the
/// blob's content without trailing zeros, so a zero-padded blob commits the same) and the G2
/// generator for the length commitment and proof. Valid points, not a real KZG commitment.
/// </summary>
internal static class FakeKzg
{
    public static readonly G2 G2Generator = new(
        new Fp2(N("10857046999023057135944570762232829481370756359578518086990519993285655852781"), N("11559732032986387107991004021392285783925812861821192530917403151452391805634")),
        new Fp2(N("8495653923123431417604973247489272438418190587263600148770280649306958101930"), N("4082367875863433681332203403145435568316851327593401208105741076214120093531")));

    public static DaClient.Disperser.Wire.BlobCommitment Commit(ReadOnlySpan<byte> blob)
    {
        var trimmed = blob.TrimEnd((byte)0);
        var scalar = new BigInteger(DaCommitment.Keccak256(trimmed), isUnsigned: true, isBigEndian: true) % BlobCodec.FieldModulus;
        var symbols = (uint)BitOperations.RoundUpToPowerOf2((uint)Math.Max(1, (blob.Length + 31) / 32));
        return new DaClient.Disperser.Wire.BlobCommitment
        {
            Commitment = Google.Protobuf.ByteString.CopyFrom(CompressG1(Multiply(new G1(1, 2), scalar))),
            LengthCommitment = Google.Protobuf.ByteString.CopyFrom(CompressG2(G2Generator)),
            LengthProof = Google.Protobuf.ByteString.CopyFrom(CompressG2(G2Generator)),
            Length = symbols,
        };
    }

    private static BigInteger N(string digits) => BigInteger.Parse(digits, System.Globalization.CultureInfo.InvariantCulture);

    private static G1 Multiply(G1 point, BigInteger scalar)
    {
        G1? result = null;
        G1? addend = point;
        while (!scalar.IsZero)
        {
            if (!scalar.IsEven)
            {
                result = Add(result, addend);
            }

            addend = Add(addend, addend);
            scalar >>= 1;
        }

        return result ?? new G1(0, 0);
    }

    private static G1? Add(G1? a, G1? b)
    {
        if (a is null)
        {
            return b;
        }

        if (b is null)
        {
            return a;
        }

        var (x1, y1) = (a.Value.X, a.Value.Y);
        var (x2, y2) = (b.Value.X, b.Value.Y);
        BigInteger lambda;
        if (x1 == x2)
        {
            if (Mod(y1 + y2).IsZero)
            {
                return null;
            }

            lambda = Mod(3 * x1 * x1 * Inverse(2 * y1));
        }
        else
        {
            lambda = Mod((y2 - y1) * Inverse(x2 - x1));
        }

        var x3 = Mod(lambda * lambda - x1 - x2);
        return new G1(x3, Mod(lambda * (x1 - x3) - y1));
    }

    private static BigInteger Inverse(BigInteger value) => BigInteger.ModPow(Mod(value), P - 2, P);
}
