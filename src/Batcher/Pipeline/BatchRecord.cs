using System.Text.Json.Serialization;
using DaClient;
using Nethereum.Hex.HexConvertors.Extensions;

namespace Batcher.Pipeline;

/// <summary>
/// One line of the batch journal (<see cref="BatchJournal"/>): what <c>appendBatch</c> carries for one
/// batch, so that the very same batch can be posted again after L1 lost it.
/// </summary>
public sealed record BatchRecord(
    [property: JsonPropertyName("batchIndex")] ulong BatchIndex,
    [property: JsonPropertyName("firstBlock")] ulong FirstBlock,
    [property: JsonPropertyName("lastBlock")] ulong LastBlock,
    [property: JsonPropertyName("batchHash")] string BatchHash,
    [property: JsonPropertyName("accumulator")] string Accumulator,
    [property: JsonPropertyName("daCommitment")] string DaCommitment,
    [property: JsonPropertyName("txCount")] ulong TxCount,
    [property: JsonPropertyName("txRoot")] string TxRoot,
    [property: JsonPropertyName("forcedThrough")] ulong ForcedThrough,
    [property: JsonPropertyName("forcedFrom")] ulong ForcedFrom = 0)
{
    public static BatchRecord Of(BuiltBatch batch, DaCommitment commitment) =>
        new(batch.Index, batch.FirstBlock, batch.LastBlock, batch.Hash.ToHex(true), batch.EndAccumulator.ToHex(true), commitment.ToBytes().ToHex(true),
            (ulong)batch.TransactionCount, batch.TxRoot.ToHex(true), batch.ForcedThrough, batch.ForcedFrom);

    [JsonIgnore]
    public DaCommitment Commitment => DaClient.DaCommitment.Parse(DaCommitment.HexToByteArray());
}

[JsonSerializable(typeof(BatchRecord))]
internal sealed partial class BatchRecordJson : JsonSerializerContext;
