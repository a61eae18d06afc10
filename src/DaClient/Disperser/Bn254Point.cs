using System.Numerics;

namespace DaClient.Disperser;

/// <summary>
/// Affine bn254 points as EigenDA's disperser sends them (gnark-crypto compressed form) and as
/// its blob-key hash needs them (uncompressed uint256 coordinates). Decompression is written here
/// because no .NET package in use handles gnark's compressed bn254 encoding; it only needs a
/// square root in Fp (p ≡ 3 mod 4) and in Fp2 = Fp[u]/(u² + 1).
/// </summary>
public static class Bn254Point
{
    /// <summary>Base field modulus p of bn254.</summary>
    public static readonly BigInteger P = BigInteger.Parse("21888242871839275222246405745257275088696311157297823662689037894645226208583", System.Globalization.CultureInfo.InvariantCulture);

    private const byte FlagMask = 0b1100_0000;
    private const byte FlagCompressedSmallest = 0b1000_0000;
    private const byte FlagCompressedLargest = 0b1100_0000;
    private const byte FlagCompressedInfinity = 0b0100_0000;

    private static readonly BigInteger HalfP = (P - 1) / 2;
    private static readonly BigInteger SqrtExponent = (P + 1) / 4;
    private static readonly Fp2 TwistB = Fp2.Inverse(new Fp2(9, 1)) * new Fp2(3, 0);

    /// <summary>G1 point from its 32-byte compressed form.</summary>
    public static G1 DecompressG1(ReadOnlySpan<byte> compressed)
    {
        if (compressed.Length != 32)
        {
            throw new DaCommitmentFormatException($"compressed G1 point must be 32 bytes, got {compressed.Length}");
        }

        var flag = compressed[0] & FlagMask;
        var x = ReadCoordinate(compressed);
        if (flag == FlagCompressedInfinity)
        {
            return new G1(0, 0);
        }

        if (flag is not (FlagCompressedSmallest or FlagCompressedLargest))
        {
            throw new DaCommitmentFormatException("G1 point is not in compressed form");
        }

        var rhs = Mod(x * x * x + 3);
        var y = BigInteger.ModPow(rhs, SqrtExponent, P);
        if (Mod(y * y) != rhs)
        {
            throw new DaCommitmentFormatException("compressed G1 x is not on the curve");
        }

        if ((y > HalfP) != (flag == FlagCompressedLargest))
        {
            y = Mod(-y);
        }

        return new G1(x, y);
    }

    /// <summary>G2 point from its 64-byte compressed form (X.A1 ‖ X.A0, flags in the first byte).</summary>
    public static G2 DecompressG2(ReadOnlySpan<byte> compressed)
    {
        if (compressed.Length != 64)
        {
            throw new DaCommitmentFormatException($"compressed G2 point must be 64 bytes, got {compressed.Length}");
        }

        var flag = compressed[0] & FlagMask;
        var x = new Fp2(ReadCoordinate(compressed[32..]), ReadCoordinate(compressed[..32]));
        if (flag == FlagCompressedInfinity)
        {
            return new G2(Fp2.Zero, Fp2.Zero);
        }

        if (flag is not (FlagCompressedSmallest or FlagCompressedLargest))
        {
            throw new DaCommitmentFormatException("G2 point is not in compressed form");
        }

        var rhs = x * x * x + TwistB;
        var y = Fp2.Sqrt(rhs) ?? throw new DaCommitmentFormatException("compressed G2 x is not on the twist");
        if (IsLexicographicallyLargest(y) != (flag == FlagCompressedLargest))
        {
            y = -y;
        }

        return new G2(x, y);
    }

    /// <summary>The 32-byte compressed form gnark produces for <paramref name="point"/>.</summary>
    public static byte[] CompressG1(G1 point)
    {
        var bytes = new byte[32];
        if (point.X.IsZero && point.Y.IsZero)
        {
            bytes[0] = FlagCompressedInfinity;
            return bytes;
        }

        WriteCoordinate(point.X, bytes);
        bytes[0] |= point.Y > HalfP ? FlagCompressedLargest : FlagCompressedSmallest;
        return bytes;
    }

    /// <summary>The 64-byte compressed form gnark produces for <paramref name="point"/>.</summary>
    public static byte[] CompressG2(G2 point)
    {
        var bytes = new byte[64];
        if (point.X.IsZero && point.Y.IsZero)
        {
            bytes[0] = FlagCompressedInfinity;
            return bytes;
        }

        WriteCoordinate(point.X.A1, bytes.AsSpan(0, 32));
        WriteCoordinate(point.X.A0, bytes.AsSpan(32, 32));
        bytes[0] |= IsLexicographicallyLargest(point.Y) ? FlagCompressedLargest : FlagCompressedSmallest;
        return bytes;
    }

    /// <summary>True if (x, y) satisfies y² = x³ + 3.</summary>
    public static bool IsOnCurve(G1 point) => Mod(point.Y * point.Y) == Mod(point.X * point.X * point.X + 3);

    /// <summary>True if (x, y) satisfies y² = x³ + 3/(9 + u).</summary>
    public static bool IsOnTwist(G2 point) => point.Y * point.Y == point.X * point.X * point.X + TwistB;

    // gnark orders Fp2 elements by A1, falling back to A0 when A1 is zero.
    private static bool IsLexicographicallyLargest(Fp2 value) => value.A1.IsZero ? value.A0 > HalfP : value.A1 > HalfP;

    private static BigInteger ReadCoordinate(ReadOnlySpan<byte> bytes)
    {
        Span<byte> word = stackalloc byte[32];
        bytes[..32].CopyTo(word);
        word[0] &= unchecked((byte)~FlagMask);
        var value = new BigInteger(word, isUnsigned: true, isBigEndian: true);
        if (value >= P)
        {
            throw new DaCommitmentFormatException("point coordinate is not below the field modulus");
        }

        return value;
    }

    internal static void WriteCoordinate(BigInteger value, Span<byte> destination)
    {
        destination[..32].Clear();
        var length = value.GetByteCount(isUnsigned: true);
        value.TryWriteBytes(destination.Slice(32 - length, length), out _, isUnsigned: true, isBigEndian: true);
    }

    internal static BigInteger Mod(BigInteger value)
    {
        var r = value % P;
        return r.Sign < 0 ? r + P : r;
    }

    /// <summary>An affine G1 point; (0, 0) is the point at infinity.</summary>
    public readonly record struct G1(BigInteger X, BigInteger Y);

    /// <summary>An affine G2 point over Fp2; (0, 0) is the point at infinity.</summary>
    public readonly record struct G2(Fp2 X, Fp2 Y);

    /// <summary>An element A0 + A1·u of Fp2, u² = −1.</summary>
    public readonly record struct Fp2(BigInteger A0, BigInteger A1)
    {
        public static Fp2 Zero => new(0, 0);

        public bool IsZero => A0.IsZero && A1.IsZero;

        public static Fp2 operator +(Fp2 a, Fp2 b) => new(Mod(a.A0 + b.A0), Mod(a.A1 + b.A1));

        public static Fp2 operator -(Fp2 a) => new(Mod(-a.A0), Mod(-a.A1));

        public static Fp2 operator *(Fp2 a, Fp2 b) =>
            new(Mod(a.A0 * b.A0 - a.A1 * b.A1), Mod(a.A0 * b.A1 + a.A1 * b.A0));

        public static Fp2 Inverse(Fp2 a)
        {
            var norm = Mod(a.A0 * a.A0 + a.A1 * a.A1);
            var inverse = BigInteger.ModPow(norm, P - 2, P);
            return new Fp2(Mod(a.A0 * inverse), Mod(-a.A1 * inverse));
        }

        public static Fp2 Pow(Fp2 a, BigInteger exponent)
        {
            var result = new Fp2(1, 0);
            var power = a;
            while (!exponent.IsZero)
            {
                if (!exponent.IsEven)
                {
                    result *= power;
                }

                power *= power;
                exponent >>= 1;
            }

            return result;
        }

        /// <summary>A square root for p ≡ 3 (mod 4) (Adj and Rodríguez-Henríquez, algorithm 9), or null.</summary>
        public static Fp2? Sqrt(Fp2 a)
        {
            if (a.IsZero)
            {
                return Zero;
            }

            var minusOne = new Fp2(P - 1, 0);
            var a1 = Pow(a, (P - 3) / 4);
            var alpha = a1 * a1 * a;
            var conjugate = new Fp2(alpha.A0, Mod(-alpha.A1));
            var a0 = conjugate * alpha;
            if (a0 == minusOne)
            {
                return null;
            }

            var x0 = a1 * a;
            Fp2 root;
            if (alpha == minusOne)
            {
                root = new Fp2(0, 1) * x0;
            }
            else
            {
                var b = Pow(alpha + new Fp2(1, 0), (P - 1) / 2);
                root = b * x0;
            }

            return root * root == a ? root : null;
        }
    }
}
