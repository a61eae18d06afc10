using Nethereum.Hex.HexConvertors.Extensions;
using Nethereum.Util;
using Primitives.Chain;
using TestInfrastructure.Anvil;
using TestInfrastructure.Ethereum;

namespace Batcher.Tests.Format;

/// <summary>The blocks behind the golden vectors of docs/batch-format.md (deterministic: RFC 6979 signatures).</summary>
public static class GoldenBatch
{
    public const ulong ChainId = 424242;
    public const ulong BatchIndex = 3;
    public const ulong FirstSequence = 11;
    public const string Token = "0x00000000000000000000000000000000000c0ffe";
    public const string Recipient = "0x1111111111111111111111111111111111111234";

    public static byte[] ParentAccumulator { get; } = Enumerable.Repeat((byte)0x11, 32).ToArray();

    public static IReadOnlyList<SealedBlock> Blocks()
    {
        var alice = new TestWallet(AnvilNode.DevKey0, ChainId);
        var bob = new TestWallet(AnvilNode.DevKey1, ChainId);
        var transfer = "a9059cbb" + Recipient[2..].PadLeft(64, '0');
        var block7 = new[]
        {
            alice.Sign1559(5, to: Token, value: 0, gas: 52_000, data: transfer + 1_000_000.ToString("x").PadLeft(64, '0')),
            bob.Sign1559(0, to: Recipient, value: 1_000_000_000_000_000, gas: 21_000),
        };
        var block8 = new[]
        {
            bob.SignLegacy(1, to: Recipient, value: 7, gas: 21_000),
            alice.Sign1559(6, to: Token, value: 0, gas: 52_000, data: transfer + 2_500_000.ToString("x").PadLeft(64, '0')),
        };
        var accumulator = ParentAccumulator;
        var blocks = new List<SealedBlock>();
        var sequence = FirstSequence;
        foreach (var (number, raws) in new[] { (7UL, block7), (8UL, block8) })
        {
            var first = sequence;
            foreach (var raw in raws)
            {
                accumulator = Sha3Keccack.Current.CalculateHash(accumulator.Concat(Sha3Keccack.Current.CalculateHash(raw.HexToByteArray())).ToArray());
                sequence++;
            }

            blocks.Add(new SealedBlock(number, 1_759_999_993 + number, new byte[32], new byte[32], first, accumulator,
                raws.Select(r => (ReadOnlyMemory<byte>)r.HexToByteArray()).ToArray()));
        }

        return blocks;
    }
}
