using System.Text.Json.Serialization;

namespace Admission.Operators;

/// <summary>Source-generated JSON for the operator API.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(AdminError))]
[JsonSerializable(typeof(PolicyChanged))]
[JsonSerializable(typeof(BlockRequest))]
[JsonSerializable(typeof(DryRunRequest))]
[JsonSerializable(typeof(DryRunResult))]
[JsonSerializable(typeof(UsageReport))]
[JsonSerializable(typeof(IReadOnlyList<Policy.AuditEntry>))]
[JsonSerializable(typeof(Sponsorship.IdentityUsage))]
[JsonSerializable(typeof(IReadOnlyList<DecisionRow>))]
[JsonSerializable(typeof(ReplayRequest))]
[JsonSerializable(typeof(ReplayReport))]
internal sealed partial class AdminJsonContext : JsonSerializerContext;
