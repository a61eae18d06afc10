using System.Text.Json.Serialization;
using Sequencer.Rpc.Dto;

namespace Sequencer.Rpc;

/// <summary>Source-generated JSON for the admission RPC replies.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(SponsoredConfirmationDto))]
[JsonSerializable(typeof(IdentityDto))]
[JsonSerializable(typeof(DenialReason))]
internal sealed partial class AdmissionRpcJsonContext : JsonSerializerContext;
