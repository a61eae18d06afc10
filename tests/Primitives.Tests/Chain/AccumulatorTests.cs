using Nethereum.Util;
using Primitives.Chain;

namespace Primitives.Tests.Chain;

public sealed class AccumulatorTests
{
    [Fact]
    public void Genesis_IsThirtyTwoZeroBytes()
    {
        Assert.Equal(new byte[32], Accumulator.Genesis.ToArray());
    }

    [Fact]
    public void Next_IsKeccakOfThePreviousAndTheTransactionHash_AsDocsRpcSays()
    {
        // accumulator_n = keccak256(accumulator_{n-1} ‖ txHash_n), checked with an independent keccak.
        var previous = new byte[32];
        var sha3 = Sha3Keccack.Current;
        var raws = new[] { "first"u8.ToArray(), "second"u8.ToArray(), new byte[1000] };
        var accumulator = Accumulator.Genesis;
        foreach (var raw in raws)
        {
            var txHash = sha3.CalculateHash(raw);
            previous = sha3.CalculateHash([.. previous, .. txHash]);
            accumulator = Accumulator.Next(accumulator, new Hash32(txHash));
            Assert.Equal(previous, accumulator.ToArray());
        }
    }

    [Fact]
    public void Vectors_FromAnIndependentKeccak()
    {
        // Computed with js-sha3: acc0 = keccak256(32 zero bytes ‖ keccak256("")),
        // acc1 = keccak256(acc0 ‖ keccak256("abc")), so a program in another language can check its rule.
        var acc0 = Accumulator.Next(Accumulator.Genesis, ReadOnlySpan<byte>.Empty);
        var acc1 = Accumulator.Next(acc0, "abc"u8);

        Assert.Equal("0x88d4843af302c2093286898cd34cba7a471c3cdce4c78514fc971c3c6a53891e", acc0.ToString());
        Assert.Equal("0x84b9e1e891634979d799d5016cce41d6eb4061276672e57686728008514a201a", acc1.ToString());
    }

    [Fact]
    public void Next_OfARawTransaction_HashesItFirst()
    {
        var raw = "raw transaction bytes"u8.ToArray();
        var previous = Keccak.Hash("previous"u8);

        Assert.Equal(Accumulator.Next(previous, Keccak.Hash(raw)), Accumulator.Next(previous, raw));
    }

    [Fact]
    public void Order_Matters()
    {
        var a = Keccak.Hash("a"u8);
        var b = Keccak.Hash("b"u8);

        Assert.NotEqual(
            Accumulator.Next(Accumulator.Next(Accumulator.Genesis, a), b),
            Accumulator.Next(Accumulator.Next(Accumulator.Genesis, b), a));
    }
}
