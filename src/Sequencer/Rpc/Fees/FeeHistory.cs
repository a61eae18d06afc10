using Primitives;
using Sequencer.Chain;
using Sequencer.History;
using Sequencer.Rpc.Dto;
using Sequencer.Transactions;

namespace Sequencer.Rpc.Fees;

/// <summary>
/// eth_feeHistory from the sequencer's own blocks: the base fee is the paid lane's minimum fee (what every block
/// reports as <c>baseFeePerGas</c>), the gas used ratio is the block's gas over its limit, and rewards are the
/// priority fees its transactions pay at each percentile, weighted by gas as geth does.
/// </summary>
internal sealed class FeeHistory(ChainStore store, ulong baseFeePerGas)
{
    /// <summary>geth's bound on the blocks of one call.</summary>
    public const int MaxBlocks = 1024;

    /// <summary>geth's bound on the percentiles of one call.</summary>
    public const int MaxPercentiles = 100;

    private readonly string _baseFee = Hex.EncodeQuantity(baseFeePerGas);

    public FeeHistoryDto Build(ulong blockCount, ulong newest, double[]? percentiles)
    {
        var count = Math.Min(blockCount, Math.Min(newest + 1, MaxBlocks));
        var oldest = newest + 1 - count;
        var baseFees = new List<string>((int)count + 1);
        var ratios = new List<double>((int)count);
        var rewards = percentiles is null ? null : new List<List<string>>((int)count);
        for (var number = oldest; number <= newest && count > 0; number++)
        {
            var block = store.GetBlock(number);
            baseFees.Add(_baseFee);
            ratios.Add(block is null || block.GasLimit == 0 ? 0 : (double)block.GasUsed / block.GasLimit);
            rewards?.Add(Rewards(block, percentiles!));
        }

        baseFees.Add(_baseFee);
        return new FeeHistoryDto
        {
            OldestBlock = Hex.EncodeQuantity(count == 0 ? 0 : oldest),
            BaseFeePerGas = count == 0 ? [] : baseFees,
            GasUsedRatio = ratios,
            Reward = rewards,
        };
    }

    private List<string> Rewards(ChainBlock? block, double[] percentiles)
    {
        var result = new List<string>(percentiles.Length);
        var tips = Tips(block);
        if (tips.Count == 0)
        {
            foreach (var _ in percentiles)
            {
                result.Add("0x0");
            }

            return result;
        }

        tips.Sort(static (a, b) => a.Tip.CompareTo(b.Tip));
        var totalGas = 0UL;
        foreach (var (_, gas) in tips)
        {
            totalGas += gas;
        }

        // geth: the reward at p is the tip of the first transaction whose cumulative gas reaches p% of the block's gas.
        var index = 0;
        var cumulative = tips[0].Gas;
        foreach (var percentile in percentiles)
        {
            var threshold = totalGas * percentile / 100;
            while (cumulative < threshold && index < tips.Count - 1)
            {
                index++;
                cumulative += tips[index].Gas;
            }

            result.Add(Quantity(tips[index].Tip));
        }

        return result;
    }

    private List<(UInt128 Tip, ulong Gas)> Tips(ChainBlock? block)
    {
        var tips = new List<(UInt128, ulong)>(block?.TransactionCount ?? 0);
        if (block is null)
        {
            return tips;
        }

        var count = store.DurableTransactionCount(block);
        for (var i = 0; i < count; i++)
        {
            var tx = store.GetTransaction(block.FirstSequence + i);
            if (tx is null || !TransactionDecoder.TryDecode(tx.Raw, out var decoded, out _))
            {
                continue;
            }

            tips.Add((Tip(decoded), tx.GasLimit));
        }

        return tips;
    }

    /// <summary>The effective priority fee: what is paid above the base fee (0 for sponsored, zero-fee transactions).</summary>
    private UInt128 Tip(DecodedTransaction tx)
    {
        var cap = tx.Type == TxType.DynamicFee ? tx.MaxFeePerGas : tx.GasPrice;
        if (cap <= baseFeePerGas)
        {
            return UInt128.Zero;
        }

        var aboveBase = cap - baseFeePerGas;
        return tx.Type == TxType.DynamicFee ? UInt128.Min(tx.MaxPriorityFeePerGas, aboveBase) : aboveBase;
    }

    private static string Quantity(UInt128 value) => value == 0 ? "0x0" : "0x" + value.ToString("x");
}
