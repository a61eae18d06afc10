using System.Text.Json.Serialization;

namespace Sequencer.ForcedInclusion;

/// <summary>One line of the forced-inclusion journal: a judged queue entry, with the reason in words when skipped.</summary>
internal sealed record ForcedDecisionLine(
    [property: JsonPropertyName("queueIndex")] ulong QueueIndex,
    [property: JsonPropertyName("txHash")] string TxHash,
    [property: JsonPropertyName("l1Block")] ulong L1Block,
    [property: JsonPropertyName("position")] ulong Position,
    [property: JsonPropertyName("outcome")] byte Outcome,
    [property: JsonPropertyName("sequence")] ulong Sequence,
    [property: JsonPropertyName("reason")] string? Reason);

[JsonSerializable(typeof(ForcedDecisionLine))]
internal sealed partial class ForcedDecisionJson : JsonSerializerContext;
