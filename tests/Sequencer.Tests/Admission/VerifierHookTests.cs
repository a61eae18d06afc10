using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Text;
using Sequencer.Tests.Infrastructure;
using TestInfrastructure.Identity;
using TestInfrastructure.Verifier;

namespace Sequencer.Tests.Admission;

/// <summary>
/// The verifier hook (docs/admission.md, "Verifier hook") against a real HTTP endpoint that checks every request's
/// HMAC signature: approve, deny, timeout (fail closed, and open when set), a wrong secret refused by the
/// endpoint, and cached answers.
/// </summary>
public sealed class VerifierHookTests(VerifierHookHost fixture) : IClassFixture<VerifierHookHost>
{
    private AdmissionSequencerHost Sequencer => fixture.Sequencer;

    private TestVerifierEndpoint Endpoint => fixture.Endpoint;

    private static string Id(string provider, string subject, string claims = "") => HeaderIdentityAuthenticator.Value(provider, subject, claims);

    [Fact]
    public async Task ApprovedCall_IsConfirmed_AfterOneSignedQuestion_NamingIdentityClaimsAndCall()
    {
        var reply = await Sequencer.SendSponsoredAsync(Id("guarded", "alice", "verified=true;role=user"), gas: "0x186a0");

        Assert.Null(reply.Error);
        var call = Assert.Single(Endpoint.CallsFor("guarded:alice"));
        var body = call.Body;
        Assert.Equal(1, body.GetProperty("version").GetInt32());
        Assert.Equal("guard", body.GetProperty("verifier").GetString());
        Assert.Equal("guarded-app", body.GetProperty("rule").GetString());
        Assert.Equal("alice", body.GetProperty("identity").GetProperty("subject").GetString());
        Assert.Equal("https://guarded.example", body.GetProperty("identity").GetProperty("issuer").GetString());
        Assert.Equal("""{"role":"user","verified":"true"}""", body.GetProperty("identity").GetProperty("claims").GetRawText());
        var sent = body.GetProperty("call");
        Assert.Equal(AdmissionSequencerHost.Token, sent.GetProperty("to").GetString());
        Assert.Equal(AdmissionSequencerHost.TransferSelector, sent.GetProperty("selector").GetString());
        Assert.Equal(AdmissionSequencerHost.TransferSelector, sent.GetProperty("data").GetString());
        Assert.Equal("0x0", sent.GetProperty("value").GetString());
        Assert.Equal("0x186a0", sent.GetProperty("gas").GetString());
    }

    [Fact]
    public async Task DeniedCall_Is32003_WithTheVerifiersReason_AndTakesNoLimit()
    {
        var identity = Id("guarded", "deny-bob");

        var reply = await Sequencer.SendSponsoredAsync(identity);

        Assert.Equal(-32003, reply.ErrorCode);
        Assert.Equal("verifier", reply.Error!.Value.GetProperty("data").GetProperty("reason").GetString());
        Assert.Equal($"rule \"guarded-app\" (verifier): {TestVerifierEndpoint.DenialReason}", reply.ErrorMessage);
        Assert.Single(Endpoint.CallsFor("guarded:deny-bob"));
        var me = (await Sequencer.CallAsAsync(identity, "sequencer_getIdentity")).Result;
        Assert.Equal("0x0", me.GetProperty("nonce").GetString());
        Assert.Equal(0, me.GetProperty("usage").GetProperty("txToday").GetInt64());
    }

    [Fact]
    public async Task VerifierThatDoesNotAnswerInTime_FailsClosed_With32005()
    {
        var identity = Id("slow", "carol");

        var reply = await Sequencer.SendSponsoredAsync(identity);

        Assert.Equal(-32005, reply.ErrorCode);
        var data = reply.Error!.Value.GetProperty("data");
        Assert.Equal("verifier unavailable", data.GetProperty("reason").GetString());
        Assert.Equal(1_000, data.GetProperty("retryAfterMs").GetInt64());
        Assert.Contains("verifier \"slow\" did not answer within 300 ms", reply.ErrorMessage, StringComparison.Ordinal);
        Assert.Single(Endpoint.CallsFor("slow:carol"));
        var me = (await Sequencer.CallAsAsync(identity, "sequencer_getIdentity")).Result;
        Assert.Equal(0, me.GetProperty("usage").GetProperty("txToday").GetInt64());
    }

    [Fact]
    public async Task VerifierSetToFailOpen_AdmitsWhenItDoesNotAnswer()
    {
        var reply = await Sequencer.SendSponsoredAsync(Id("lenient", "dan"));

        Assert.Null(reply.Error);
        Assert.Single(Endpoint.CallsFor("lenient:dan"));
    }

    [Fact]
    public async Task RequestSignedWithAnotherSecret_IsRefusedByTheEndpoint_AndTheCallFailsClosed()
    {
        var before = Endpoint.RejectedSignatures;

        var reply = await Sequencer.SendSponsoredAsync(Id("forged", "erin"));

        Assert.Equal(-32005, reply.ErrorCode);
        Assert.Equal("verifier unavailable", reply.Error!.Value.GetProperty("data").GetProperty("reason").GetString());
        Assert.Contains("answered HTTP 401", reply.ErrorMessage, StringComparison.Ordinal);
        Assert.Equal(before + 1, Endpoint.RejectedSignatures);
        Assert.Empty(Endpoint.CallsFor("forged:erin"));
    }

    [Fact]
    public async Task Signature_CoversBodyAndTimestamp_SoAlteredOrStaleRequestsAreRefused()
    {
        Assert.Null((await Sequencer.SendSponsoredAsync(Id("guarded", "frank"))).Error);
        var genuine = Assert.Single(Endpoint.CallsFor("guarded:frank"));
        var now = DateTimeOffset.UtcNow;
        var altered = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(genuine.RawBody).Replace("\"frank\"", "\"mallory\"", StringComparison.Ordinal));
        var later = (long.Parse(genuine.Timestamp, System.Globalization.CultureInfo.InvariantCulture) + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);

        Assert.True(VerifierSignatureCheck.IsValid(VerifierHookHost.Secret, genuine.Timestamp, genuine.Signature, genuine.RawBody, now));
        Assert.False(VerifierSignatureCheck.IsValid(VerifierHookHost.Secret, genuine.Timestamp, genuine.Signature, altered, now));
        Assert.False(VerifierSignatureCheck.IsValid(VerifierHookHost.Secret, later, genuine.Signature, genuine.RawBody, now));
        Assert.False(VerifierSignatureCheck.IsValid(VerifierHookHost.Secret, genuine.Timestamp, genuine.Signature, genuine.RawBody, now.AddMinutes(10)));
        Assert.False(VerifierSignatureCheck.IsValid(VerifierHookHost.WrongSecret, genuine.Timestamp, genuine.Signature, genuine.RawBody, now));
    }

    [Fact]
    public async Task SameCallTwice_WithinCacheTime_AsksTheEndpointOnce_AnotherCallAsksAgain()
    {
        var identity = Id("cached", "gina");

        var first = await Sequencer.SendSponsoredAsync(identity);
        var second = await Sequencer.SendSponsoredAsync(identity);
        var otherGas = await Sequencer.SendSponsoredAsync(identity, gas: "0x186a0");
        var denied1 = await Sequencer.SendSponsoredAsync(Id("cached", "deny-hank"));
        var denied2 = await Sequencer.SendSponsoredAsync(Id("cached", "deny-hank"));

        Assert.Null(first.Error);
        Assert.Null(second.Error);
        Assert.Null(otherGas.Error);
        Assert.Equal(2, Endpoint.CallsFor("cached:gina").Length);
        Assert.Equal(["0xea60", "0x186a0"], Endpoint.CallsFor("cached:gina").Select(c => c.Body.GetProperty("call").GetProperty("gas").GetString()));
        Assert.Equal(-32003, denied1.ErrorCode);
        Assert.Equal(denied1.ErrorMessage, denied2.ErrorMessage);
        Assert.Single(Endpoint.CallsFor("cached:deny-hank"));
    }

    [Fact]
    public async Task LatencyFailuresAndCacheHits_AreInTheAdmissionMeter()
    {
        var seen = new ConcurrentQueue<(string Instrument, double Value, Dictionary<string, string?> Tags)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == "Admission" && instrument.Name is "admission.verifier.duration" or "admission.verifier.cache_hits" or "admission.sponsored.decisions")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => seen.Enqueue((instrument.Name, value, Tags(tags))));
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => seen.Enqueue((instrument.Name, value, Tags(tags))));
        listener.Start();

        await Sequencer.SendSponsoredAsync(Id("guarded", "ivy"));
        await Sequencer.SendSponsoredAsync(Id("slow", "ivy"));
        await Sequencer.SendSponsoredAsync(Id("forged", "ivy"));
        await Sequencer.SendSponsoredAsync(Id("cached", "ivy"));
        await Sequencer.SendSponsoredAsync(Id("cached", "ivy"));

        bool Has(string instrument, string verifier, string? outcome = null) => seen.Any(m =>
            m.Instrument == instrument && m.Tags.GetValueOrDefault("verifier") == verifier && (outcome is null || m.Tags.GetValueOrDefault("outcome") == outcome));
        Assert.True(Has("admission.verifier.duration", "guard", "approved"));
        Assert.True(Has("admission.verifier.duration", "slow", "timeout"));
        Assert.True(Has("admission.verifier.duration", "forged", "http_error"));
        Assert.True(Has("admission.verifier.cache_hits", "cached"));
        Assert.All(seen.Where(m => m.Instrument == "admission.verifier.duration"), m => Assert.InRange(m.Value, 0, 60));
        Assert.Contains(seen, m => m.Instrument == "admission.sponsored.decisions"
            && m.Tags.GetValueOrDefault("verdict") == "failed_closed" && m.Tags.GetValueOrDefault("reason") == "verifier unavailable" && m.Tags.GetValueOrDefault("rule") == "slow-app");
    }

    private static Dictionary<string, string?> Tags(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var result = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var tag in tags)
        {
            result[tag.Key] = tag.Value?.ToString();
        }

        return result;
    }
}
