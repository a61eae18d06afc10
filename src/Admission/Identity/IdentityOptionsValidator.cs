using Microsoft.Extensions.Options;

namespace Admission.Identity;

/// <summary>
/// The annotations of <see cref="IdentityOptions"/> (its own properties, as ValidateDataAnnotations checked them),
/// by generated code: DataAnnotations' reflection cost every start its type-descriptor set-up (docs/benchmarks.md).
/// </summary>
[OptionsValidator]
internal sealed partial class IdentityOptionsAnnotationsValidator : IValidateOptions<IdentityOptions>;

/// <summary>Checks every provider entry, naming the provider and the setting that is wrong.</summary>
internal sealed class IdentityOptionsValidator : IValidateOptions<IdentityOptions>
{
    public ValidateOptionsResult Validate(string? name, IdentityOptions options)
    {
        var problems = Problems(options);
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }

    public static List<string> Problems(IdentityOptions options)
    {
        var problems = new List<string>();
        var deployment = options.Session.Deployment;
        if (string.IsNullOrEmpty(deployment) || deployment.Length > 64 || !deployment.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-'))
        {
            problems.Add($"{IdentityOptions.Section}:Session:Deployment uses only letters, digits, '.', '_' and '-' (1 to 64 characters)");
        }

        foreach (var (name, provider) in options.Providers)
        {
            var at = $"{IdentityOptions.Section}:Providers:{name}";
            if (name.Length == 0 || !name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-'))
            {
                problems.Add($"{at}: provider names use only a-z, 0-9 and '-'");
            }

            if (string.Equals(name, IdentitySchemes.DevProvider, StringComparison.OrdinalIgnoreCase))
            {
                problems.Add($"{at}: the name \"{IdentitySchemes.DevProvider}\" is reserved for the built-in dev provider");
            }

            // "wallet:0x…" and "person:…" name linked wallets and persons in limits, usage and the audit log (docs/linking.md).
            if (name is "wallet" or "person")
            {
                problems.Add($"{at}: the name \"{name}\" is reserved (linked wallets and persons use it)");
            }

            if (provider.EffectiveAlgorithms.Length == 0)
            {
                problems.Add($"{at}:AllowedAlgorithms must name at least one signature algorithm (\"none\" is never accepted)");
            }

            if (!string.IsNullOrWhiteSpace(provider.ClientSecretFile) && !File.Exists(provider.ClientSecretFile))
            {
                problems.Add($"{at}:ClientSecretFile does not exist: {provider.ClientSecretFile}");
            }

            if (provider.Kind == IdentityProviderKind.Oidc)
            {
                if (!IsAbsolute(provider.Authority))
                {
                    problems.Add($"{at}:Authority must be the issuer's absolute URL");
                }

                if (provider.AcceptBearerTokens && string.IsNullOrWhiteSpace(provider.ClientId) && provider.Audiences.Count == 0)
                {
                    problems.Add($"{at}: Bearer tokens need an audience: set ClientId or Audiences");
                }

                continue;
            }

            if (string.IsNullOrWhiteSpace(provider.ClientId))
            {
                problems.Add($"{at}:ClientId is required");
            }

            if (string.IsNullOrWhiteSpace(provider.ClientSecret) && string.IsNullOrWhiteSpace(provider.ClientSecretFile))
            {
                problems.Add($"{at}: set ClientSecretFile (or ClientSecret)");
            }

            foreach (var (setting, value) in (ReadOnlySpan<(string, string?)>)[
                ("AuthorizationEndpoint", provider.AuthorizationEndpoint),
                ("TokenEndpoint", provider.TokenEndpoint),
                ("UserInformationEndpoint", provider.UserInformationEndpoint)])
            {
                if (!IsAbsolute(value))
                {
                    problems.Add($"{at}:{setting} must be an absolute URL");
                }
            }

            if (!provider.UserInfoClaims.ContainsKey(IdentityClaimTypes.Subject))
            {
                problems.Add($"{at}:UserInfoClaims must map \"sub\" to the user id's path in the user-info JSON");
            }

            if (provider.TokenEndpointAuthMethod is not ("client_secret_post" or "client_secret_basic"))
            {
                problems.Add($"{at}:TokenEndpointAuthMethod must be client_secret_post or client_secret_basic");
            }
        }

        return problems;
    }

    private static bool IsAbsolute(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp);
}
