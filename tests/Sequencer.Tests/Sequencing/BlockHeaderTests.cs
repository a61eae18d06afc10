using Nethereum.RLP;
using Nethereum.Util;
using Primitives;
using Sequencer.Sequencing;
using Sequencer.Chain;

namespace Sequencer.Tests.Sequencing;

public sealed class BlockHeaderTests
{
    [Theory]
    [InlineData(0UL, 0UL, 0L, 0, 0UL, 0UL)]
    [InlineData(1UL, 1_700_000_000UL, 0L, 1, 30_000_000UL, 21_000UL)]
    [InlineData(127UL, 128UL, 255L, 256, 1UL, 0x80UL)]
    [InlineData(ulong.MaxValue, ulong.MaxValue, long.MaxValue, int.MaxValue, ulong.MaxValue, ulong.MaxValue)]
    public void Hash_IsKeccakOfTheRlpHeaderAsDocsRpcGivesIt(ulong number, ulong timestamp, long firstSequence, int count, ulong gasLimit, ulong gasUsed)
    {
        var block = new ChainBlock(number, timestamp, Keccak.Hash("parent"u8), firstSequence)
        {
            TransactionCount = count,
            GasLimit = gasLimit,
            GasUsed = gasUsed,
            Accumulator = Keccak.Hash("accumulator"u8),
            TransactionsHash = Keccak.Hash("transactions"u8),
        };

        // docs/rpc.md, "Block hash", encoded with Nethereum's RLP as an independent reference.
        var expected = Sha3Keccack.Current.CalculateHash(RLP.EncodeList(
            RLP.EncodeElement(block.ParentHash.ToArray()),
            Integer(number),
            Integer(timestamp),
            Integer((ulong)firstSequence),
            Integer((ulong)count),
            RLP.EncodeElement(block.TransactionsHash.ToArray()),
            RLP.EncodeElement(block.Accumulator.ToArray()),
            Integer(gasLimit),
            Integer(gasUsed)));

        Assert.Equal(expected, BlockHeader.ComputeHash(block).ToArray());
    }

    private static byte[] Integer(ulong value)
    {
        var bytes = BitConverter.GetBytes(value);
        Array.Reverse(bytes);
        return RLP.EncodeElement(bytes.SkipWhile(b => b == 0).ToArray());
    }
}
