using System.Text;
using Nethereum.Util;

namespace Primitives.Tests;

public sealed class KeccakTests
{
    [Theory]
    // Ethereum's Keccak-256 (not FIPS SHA3-256, which gives a7ffc6f8... for the empty input).
    [InlineData("", "0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470")]
    [InlineData("abc", "0x4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45")]
    [InlineData("EIP712Domain(string name,string version,uint256 chainId)", "0xc2f8787176b8ac6bf7215b4adcc1e069bf4ab82d9ab1df05a57a91d425935b6e")]
    public void KnownVectors(string text, string expected)
    {
        Assert.Equal(expected, Keccak.Hash(Encoding.ASCII.GetBytes(text)).ToString());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(135)]
    [InlineData(136)]
    [InlineData(137)]
    [InlineData(1_000_000)]
    public void MatchesNethereum_AcrossTheRateBoundary(int length)
    {
        var data = new byte[length];
        new Random(length).NextBytes(data);

        Assert.Equal(Sha3Keccack.Current.CalculateHash(data), Keccak.Hash(data).ToArray());
    }

    [Fact]
    public void PartsHashLikeTheirConcatenation()
    {
        var a = "first part"u8.ToArray();
        var b = new byte[300];
        new Random(7).NextBytes(b);
        var c = "tail"u8.ToArray();

        Assert.Equal(Keccak.Hash([.. a, .. b]), Keccak.Hash(a, b));
        Assert.Equal(Keccak.Hash([.. a, .. b, .. c]), Keccak.Hash(a, b, c));
        Span<byte> output = stackalloc byte[32];
        Keccak.HashInto(b, output);
        Assert.Equal(Keccak.Hash(b).ToArray(), output.ToArray());
    }

    [Fact]
    public void ManyThreads_GetTheSameHash()
    {
        var data = new byte[10_000];
        new Random(3).NextBytes(data);
        var expected = Keccak.Hash(data);

        var results = new Hash32[64];
        Parallel.For(0, results.Length, i => results[i] = Keccak.Hash(data));

        Assert.All(results, r => Assert.Equal(expected, r));
    }
}
