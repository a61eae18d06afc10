using Admission.Identity;
using Microsoft.AspNetCore.Http;

namespace Admission.Benchmarks;

/// <summary>
/// Stands in for token validation in the end-to-end benchmark: the header X-Bench-Identity is the subject.
/// Token validation has its own cost, measured separately; this isolates admission, signing and sequencing.
/// </summary>
internal sealed class BenchIdentityAuthenticator : IIdentityAuthenticator
{
    public const string Header = "X-Bench-Identity";

    private static readonly IReadOnlyDictionary<string, string> NoClaims = new Dictionary<string, string>();

    public ValueTask<IdentityResult> AuthenticateAsync(HttpContext context) =>
        ValueTask.FromResult(context.Request.Headers.TryGetValue(Header, out var subject) && subject.Count > 0
            ? IdentityResult.Success(new AdmissionIdentity("bench", "https://bench.example", subject.ToString(), NoClaims))
            : IdentityResult.Fail("no credentials"));
}
