using System.Globalization;
using System.Numerics;
using DaClient.Disperser;
using static DaClient.Disperser.Bn254Point;

namespace DaClient.Tests.Disperser;

public sealed class Bn254PointTests
{
    private static BigInteger N(string decimalDigits) => BigInteger.Parse(decimalDigits, CultureInfo.InvariantCulture);

    // The bn254 G2 generator (as in EIP-197).
    private static readonly G2 G2Generator = new(
        new Fp2(N("10857046999023057135944570762232829481370756359578518086990519993285655852781"), N("11559732032986387107991004021392285783925812861821192530917403151452391805634")),
        new Fp2(N("8495653923123431417604973247489272438418190587263600148770280649306958101930"), N("4082367875863433681332203403145435568316851327593401208105741076214120093531")));

    [Fact]
    public void G1_generator_compresses_with_the_smallest_flag_and_decompresses_back()
    {
        var generator = new G1(1, 2);

        var compressed = CompressG1(generator);

        Assert.Equal(0x80, compressed[0]);
        Assert.Equal(1, compressed[31]);
        Assert.Equal(generator, DecompressG1(compressed));
    }

    [Fact]
    public void Negated_G1_generator_uses_the_largest_flag()
    {
        var negated = new G1(1, P - 2);

        var compressed = CompressG1(negated);

        Assert.Equal(0xC0, compressed[0]);
        Assert.Equal(negated, DecompressG1(compressed));
    }

    [Fact]
    public void G2_generator_is_on_the_twist_and_round_trips_with_A1_first()
    {
        Assert.True(IsOnTwist(G2Generator));

        var compressed = CompressG2(G2Generator);
        var a1 = new BigInteger(compressed.AsSpan(0, 32), isUnsigned: true, isBigEndian: true) & ((BigInteger.One << 254) - 1);

        Assert.Equal(G2Generator.X.A1, a1);
        Assert.Equal(G2Generator, DecompressG2(compressed));
        Assert.Equal(new G2(G2Generator.X, -G2Generator.Y), DecompressG2(CompressG2(new G2(G2Generator.X, -G2Generator.Y))));
    }

    [Fact]
    public void Decompressed_points_are_on_the_curve_and_x_without_a_point_is_rejected()
    {
        var rejected = 0;
        for (var x = 0; x < 20; x++)
        {
            var compressed = CompressG1(new G1(x, 1));
            try
            {
                Assert.True(IsOnCurve(DecompressG1(compressed)));
            }
            catch (DaCommitmentFormatException)
            {
                rejected++;
            }
        }

        Assert.InRange(rejected, 1, 19);
    }

    [Fact]
    public void Uncompressed_or_short_encodings_are_rejected()
    {
        var uncompressed = CompressG1(new G1(1, 2));
        uncompressed[0] &= 0x3F;

        Assert.Throws<DaCommitmentFormatException>(() => DecompressG1(uncompressed));
        Assert.Throws<DaCommitmentFormatException>(() => DecompressG1(new byte[31]));
        Assert.Throws<DaCommitmentFormatException>(() => DecompressG2(new byte[63]));
    }

    [Fact]
    public void Fp2_square_root_squares_back()
    {
        var value = new Fp2(12345, 67890) * new Fp2(12345, 67890);

        var root = Fp2.Sqrt(value);

        Assert.NotNull(root);
        Assert.Equal(value, root.Value * root.Value);
    }
}
