using Admission.Identity;
using Microsoft.AspNetCore.Http;

namespace TestInfrastructure.Identity;

/// <summary>
/// Test stand-in for the real token validation: the header <c>X-Test-Identity: provider|subject|claim=value;claim=value</c>
/// is the identity (issuer "https://{provider}.example"). For tests of the admission path only; real
/// token validation is tested with a real OIDC provider.
/// </summary>
public sealed class HeaderIdentityAuthenticator : IIdentityAuthenticator
{
    public const string Header = "X-Test-Identity";

    public ValueTask<IdentityResult> AuthenticateAsync(HttpContext context)
    {
        if (!context.Request.Headers.TryGetValue(Header, out var value) || value.Count == 0)
        {
            return ValueTask.FromResult(IdentityResult.Fail("no credentials"));
        }

        var parts = value.ToString().Split('|');
        if (parts.Length < 2)
        {
            return ValueTask.FromResult(IdentityResult.Fail("malformed test identity"));
        }

        var claims = new Dictionary<string, string>(StringComparer.Ordinal);
        if (parts.Length > 2)
        {
            foreach (var pair in parts[2].Split(';', StringSplitOptions.RemoveEmptyEntries))
            {
                var eq = pair.IndexOf('=');
                claims[pair[..eq]] = pair[(eq + 1)..];
            }
        }

        return ValueTask.FromResult(IdentityResult.Success(new AdmissionIdentity(parts[0], "https://" + parts[0] + ".example", parts[1], claims)));
    }

    public static string Value(string provider, string subject, string claims = "") => provider + "|" + subject + "|" + claims;
}
