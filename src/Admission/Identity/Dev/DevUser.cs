namespace Admission.Identity.Dev;

/// <summary>Who logs in on the dev provider's form; the facts a policy may check are chosen on the form.</summary>
internal sealed record DevUser(string Subject, string Name, bool Verified, string? Role, long FollowersCount, DateTimeOffset CreatedAt);
