namespace Admission.Identity;

/// <summary>Authentication scheme names registered for identity.</summary>
internal static class IdentitySchemes
{
    /// <summary>The login session cookie every browser login ends in.</summary>
    public const string Session = "admission.session";

    /// <summary>The name of the provider the built-in dev identity provider is registered as.</summary>
    public const string DevProvider = "dev";

    public static string Bearer(string provider) => "admission.bearer." + provider;

    public static string Login(string provider) => "admission.login." + provider;

    public static string CallbackPath(string provider) => "/auth/callback/" + provider;
}
