using System.Text.Json.Serialization;
using Sequencer.Rpc.Dto;

namespace Sequencer.Rpc;

/// <summary>Source-generated JSON for everything the RPC layer writes: no reflection at run time.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    WriteIndented = false)]
[JsonSerializable(typeof(SoftConfirmationDto))]
[JsonSerializable(typeof(BlockDto<string>))]
[JsonSerializable(typeof(BlockDto<TransactionDto>))]
[JsonSerializable(typeof(TransactionDto))]
[JsonSerializable(typeof(StatusDto))]
[JsonSerializable(typeof(RpcLimitData))]
[JsonSerializable(typeof(FeeHistoryDto))]
[JsonSerializable(typeof(InclusionReceiptDto))]
[JsonSerializable(typeof(InclusionProofDto))]
[JsonSerializable(typeof(List<InclusionReceiptDto>))]
[JsonSerializable(typeof(string[]))]
[JsonSerializable(typeof(List<string>))]
internal sealed partial class RpcJsonContext : JsonSerializerContext;
