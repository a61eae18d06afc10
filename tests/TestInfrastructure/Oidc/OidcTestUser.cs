namespace TestInfrastructure.Oidc;

/// <summary>A person registered at the test OIDC provider, with the claims a policy may check.</summary>
public sealed record OidcTestUser(string Login, string Password, IReadOnlyDictionary<string, object> Claims)
{
    /// <summary>Verified, old account with followers.</summary>
    public static OidcTestUser Alice { get; } = new("alice", "alice-password", new Dictionary<string, object>
    {
        ["name"] = "Alice",
        ["verified"] = true,
        ["created_at"] = 1_500_000_000,
        ["followers_count"] = 1200,
    });

    /// <summary>Not verified, new account.</summary>
    public static OidcTestUser Bob { get; } = new("bob", "bob-password", new Dictionary<string, object>
    {
        ["name"] = "Bob",
        ["verified"] = false,
        ["created_at"] = 1_760_000_000,
        ["followers_count"] = 3,
    });

    /// <summary>An operator (role claim) who may use /admin.</summary>
    public static OidcTestUser Olivia { get; } = new("olivia", "olivia-password", new Dictionary<string, object>
    {
        ["name"] = "Olivia",
        ["verified"] = true,
        ["created_at"] = 1_400_000_000,
        ["followers_count"] = 50,
        ["role"] = "operator",
    });

    public static IReadOnlyList<OidcTestUser> All { get; } = [Alice, Bob, Olivia];
}
