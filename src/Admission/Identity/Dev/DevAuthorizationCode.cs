namespace Admission.Identity.Dev;

/// <summary>An issued, not yet redeemed authorization code and what it was issued for.</summary>
internal sealed record DevAuthorizationCode(
    string ClientId,
    string RedirectUri,
    string? Nonce,
    string? CodeChallenge,
    DevUser User,
    DateTimeOffset ExpiresAt);
