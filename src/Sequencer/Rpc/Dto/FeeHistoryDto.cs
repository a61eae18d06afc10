using System.Text.Json.Serialization;

namespace Sequencer.Rpc.Dto;

/// <summary>eth_feeHistory's result, in the shape geth and anvil give it.</summary>
public sealed class FeeHistoryDto
{
    public required string OldestBlock { get; init; }

    /// <summary>One entry per block and one more: the base fee of the block after the newest.</summary>
    public required List<string> BaseFeePerGas { get; init; }

    public required List<double> GasUsedRatio { get; init; }

    /// <summary>Per block, the priority fee at each requested percentile; left out when none were asked for.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public List<List<string>>? Reward { get; init; }
}
