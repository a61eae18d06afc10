using System.Text;
using Admission.Identity;
using Admission.Tests.Infrastructure;
using Admission.Verification;

namespace Admission.Tests.Verification;

public sealed class VerifierRequestTests
{

    [Fact]
    public void SameQuestion_IsTheSameBytes_WhateverTheClaimOrder()
    {
        var first = new AdmissionIdentity("x", "https://x.com", "42", new Dictionary<string, string> { ["verified"] = "true", ["created_at"] = "1700000000" });
        var second = new AdmissionIdentity("x", "https://x.com", "42", new Dictionary<string, string> { ["created_at"] = "1700000000", ["verified"] = "true" });

        var body = VerifierRequest.Body("kyc", "app", first, Policies.Token, Policies.TransferData(), 5, 100_000);

        Assert.Equal(body, VerifierRequest.Body("kyc", "app", second, Policies.Token, Policies.TransferData(), 5, 100_000));
        Assert.NotEqual(body, VerifierRequest.Body("kyc", "app", first, Policies.Token, Policies.TransferData(), 5, 100_001));
        Assert.Equal(
            $$$"""{"version":1,"verifier":"kyc","rule":"app","identity":{"key":"x:42","provider":"x","issuer":"https://x.com","subject":"42","claims":{"created_at":"1700000000","verified":"true"}},"call":{"to":"{{{Policies.Token}}}","selector":"0xa9059cbb","data":"0x{{{Convert.ToHexStringLower(Policies.TransferData())}}}","value":"0x5","gas":"0x186a0"}}""",
            Encoding.UTF8.GetString(body));
    }

    [Fact]
    public void CallWithoutSelector_SendsNull()
    {
        var body = VerifierRequest.Body("kyc", "app", Identities.Of("dev", "a"), Policies.Token, [], 0, 21_000);

        Assert.Contains("\"selector\":null,\"data\":\"0x\"", Encoding.UTF8.GetString(body), StringComparison.Ordinal);
    }
}

public sealed class VerifierSignatureTests
{
    // Computed with the shell command in docs/admission.md: { printf '%s.' 1764758400; cat body.json; } | openssl dgst -sha256 -hmac SECRET
    [Fact]
    public void Signature_IsHmacSha256_OfTimestampDotBody_AsOpensslComputesIt() =>
        Assert.Equal("v1=4aa78117509ce72c2dee7fca723e431a6cb51d525556405f1220edbca40714bf",
            VerifierSignature.Sign(Encoding.UTF8.GetBytes("verifier-test-secret-8d1f0b7e24c9a35f61e0"), 1764758400, """{"version":1,"a":"b"}"""u8));
}
