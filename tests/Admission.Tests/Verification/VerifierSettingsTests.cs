using System.Text.Json;
using Admission.Options;
using Admission.Tests.Infrastructure;
using Admission.Verification;
using Microsoft.Extensions.Options;

namespace Admission.Tests.Verification;

/// <summary>Verifier settings and the policy's "verifier" field: refused at start or at the edit, with the setting or path named.</summary>
public sealed class VerifierSettingsTests
{
    private const string Secret = "a1b2c3d4e5f60718293a4b5c6d7e8f90aabbccdd";

    private static VerifierOptions Options(string url = "https://verify.example/approve", string secret = Secret, int timeoutMs = 500, int cacheSeconds = 0) =>
        new() { Url = url, Secret = secret, TimeoutMs = timeoutMs, CacheSeconds = cacheSeconds };

    [Theory]
    [InlineData("https://verify.example/approve")]
    [InlineData("http://127.0.0.1:8080/approve")]
    [InlineData("http://[::1]:8080/approve")]
    [InlineData("http://localhost:8080/approve")]
    public void HttpsAnywhere_AndPlainHttpOnLoopback_AreAccepted(string url) =>
        Assert.Empty(VerifierEndpoint.Problems("kyc", Options(url)));

    [Theory]
    [InlineData("http://verify.example/approve", "must be https (plain http only to a loopback address")]
    [InlineData("http://10.0.0.5/approve", "must be https (plain http only to a loopback address")]
    [InlineData("ftp://verify.example/", "must be an https URL")]
    [InlineData("/approve", "must be an https URL")]
    [InlineData("not a url", "must be an absolute https URL")]
    public void OtherUrls_AreRefused(string url, string expected) =>
        Assert.Contains(VerifierEndpoint.Problems("kyc", Options(url)), p => p.StartsWith("Admission:Verifiers:kyc:Url ", StringComparison.Ordinal) && p.Contains(expected, StringComparison.Ordinal));

    [Fact]
    public void WeakOrMissingSecret_BadTimeoutOrCache_AndBadNames_AreRefused_WithoutShowingTheSecret()
    {
        var weak = "short-but-secret";
        var problems = VerifierEndpoint.Problems("kyc", Options(secret: weak, timeoutMs: 5, cacheSeconds: -1)).ToList();

        Assert.Contains(problems, p => p.StartsWith("Admission:Verifiers:kyc:Secret must be at least 32", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Admission:Verifiers:kyc:TimeoutMs", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Admission:Verifiers:kyc:CacheSeconds", StringComparison.Ordinal));
        Assert.DoesNotContain(problems, p => p.Contains(weak, StringComparison.Ordinal));
        Assert.Contains(VerifierEndpoint.Problems("kyc", Options(secret: "")), p => p.Contains("Secret or", StringComparison.Ordinal));
        Assert.Contains(VerifierEndpoint.Problems("bad name", Options()), p => p.Contains("a verifier name is", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SecretFile_IsRead_AndAMissingFile_StopsTheHost()
    {
        var file = Path.Combine(Path.GetTempPath(), "verifier-secret-" + Guid.NewGuid().ToString("N"));
        await File.WriteAllTextAsync(file, Secret + "\n");
        try
        {
            var endpoint = VerifierEndpoint.From("kyc", new VerifierOptions { Url = "https://verify.example/", SecretFile = file, Secret = "ignored" });
            Assert.Equal(System.Text.Encoding.UTF8.GetBytes(Secret), endpoint.Secret);
        }
        finally
        {
            File.Delete(file);
        }

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => AdmissionHost.StartAsync(settings: new Dictionary<string, string?>
        {
            ["Admission:Verifiers:kyc:Url"] = "https://verify.example/",
            ["Admission:Verifiers:kyc:SecretFile"] = file,
        }));
        Assert.Contains($"Admission:Verifiers:kyc:SecretFile {file} does not exist", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PolicyVerifierName_MustBeAName()
    {
        var parsed = Admission.Policy.PolicyParser.TryParse(Policies.Json(extraRule: """, "verifier": "not a name!" """), out _, out var errors);

        Assert.False(parsed);
        Assert.Contains(errors, e => e.Path == "$.rules[0].verifier");
    }

    [Fact]
    public async Task PolicyFile_NamingAnUnconfiguredVerifier_StopsTheHost()
    {
        var error = await Assert.ThrowsAnyAsync<InvalidOperationException>(() => AdmissionHost.StartAsync(Policies.Json(extraRule: """, "verifier": "kyc" """)));

        Assert.Contains("$.rules[0].verifier", error.Message, StringComparison.Ordinal);
        Assert.Contains("\"kyc\" is not configured on this host", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OperatorEdit_NamingAnUnconfiguredVerifier_Is400_AConfiguredOne_Applies_AndDryRunDoesNotCallIt()
    {
        // Nothing listens at this port: a dry run that called the verifier would fail closed instead of admitting.
        await using var host = await AdmissionHost.StartAsync(Policies.Json(version: 1), new Dictionary<string, string?>
        {
            ["Admission:Verifiers:kyc:Url"] = "http://127.0.0.1:9/approve",
            ["Admission:Verifiers:kyc:Secret"] = Secret,
        });

        var (unknown, unknownBody) = await host.SendAsync(HttpMethod.Put, "/policy", Policies.Json(version: 1, extraRule: """, "verifier": "other" """));
        var (known, _) = await host.SendAsync(HttpMethod.Put, "/policy", Policies.Json(version: 1, extraRule: """, "verifier": "kyc" """));
        var (_, dryRun) = await host.SendAsync(HttpMethod.Post, "/policy/dry-run",
            $$$"""{"identity": {"provider": "dev", "subject": "a"}, "request": {"to": "{{{Policies.Token}}}", "data": "{{{Policies.Transfer}}}"}}""");

        Assert.Equal(400, unknown);
        var error = JsonDocument.Parse(unknownBody).RootElement.GetProperty("errors")[0];
        Assert.Equal("$.rules[0].verifier", error.GetProperty("path").GetString());
        Assert.Contains("configured: kyc", error.GetProperty("problem").GetString(), StringComparison.Ordinal);
        Assert.Equal(200, known);
        var result = JsonDocument.Parse(dryRun).RootElement;
        Assert.Equal("admitted", result.GetProperty("verdict").GetString());
        Assert.Equal("admitted if verifier \"kyc\" approves (a dry run does not call it)", result.GetProperty("message").GetString());
    }
}
