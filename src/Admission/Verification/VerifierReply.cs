using System.Text.Json.Serialization;

namespace Admission.Verification;

/// <summary>
/// What a verifier answers: <c>{"approve": true}</c> or <c>{"approve": false, "reason": "…"}</c>, optionally with
/// <c>"cacheSeconds"</c> to keep this answer for less than the configured CacheSeconds (0: not at all). Other
/// properties are ignored, so an endpoint may add its own.
/// </summary>
internal sealed class VerifierReply
{
    public bool? Approve { get; set; }

    public string? Reason { get; set; }

    public int? CacheSeconds { get; set; }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(VerifierReply))]
internal sealed partial class VerifierJsonContext : JsonSerializerContext;
