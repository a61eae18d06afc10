using System.Text.Json.Serialization;

namespace Admission.Identity.Dev;

/// <summary>The token endpoint's answer (the access token is opaque and grants nothing here).</summary>
internal sealed record DevTokenResponse(
    [property: JsonPropertyName("id_token")] string IdToken,
    [property: JsonPropertyName("access_token")] string AccessToken,
    [property: JsonPropertyName("token_type")] string TokenType,
    [property: JsonPropertyName("expires_in")] int ExpiresIn);
