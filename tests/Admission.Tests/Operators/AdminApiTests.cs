using System.Text.Json;
using Admission.Identity;
using Admission.Sponsorship;
using Admission.Tests.Infrastructure;
using TestInfrastructure.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace Admission.Tests.Operators;

public sealed class AdminApiTests : IAsyncLifetime
{
    private AdmissionHost _host = null!;

    public async Task InitializeAsync() => _host = await AdmissionHost.StartAsync(Policies.Json(version: 1, burst: 2));

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        Directory.Delete(_host.DataDirectory, recursive: true);
    }

    [Fact]
    public async Task NoCredentials_Is401_WrongKey_Is401()
    {
        var (none, noneBody) = await _host.SendAsync(HttpMethod.Get, "/policy", key: false);
        using var wrong = _host.Request(HttpMethod.Get, "/policy", key: false);
        wrong.Headers.Add("X-Admin-Key", "not-the-key-at-all-123");
        using var wrongResponse = await _host.Client.SendAsync(wrong);

        Assert.Equal(401, none);
        Assert.Contains("credentials", noneBody, StringComparison.Ordinal);
        Assert.Equal(401, (int)wrongResponse.StatusCode);
        Assert.DoesNotContain(AdmissionHost.AdminKey, await wrongResponse.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task IdentityWithoutOperatorRole_Is403_WithRole_IsAllowed()
    {
        var (user, _) = await _host.SendAsync(HttpMethod.Get, "/policy", key: false, identity: HeaderIdentityAuthenticator.Value("dev", "mallory", "role=user"));
        var (op, body) = await _host.SendAsync(HttpMethod.Get, "/policy", key: false, identity: HeaderIdentityAuthenticator.Value("dev", "olivia", "role=user operator"));

        Assert.Equal(403, user);
        Assert.Equal(200, op);
        Assert.Equal(1, JsonDocument.Parse(body).RootElement.GetProperty("version").GetInt64());
    }

    [Fact]
    public async Task Put_WithCurrentVersion_AppliesNextVersion_AndIsAudited()
    {
        var (status, body) = await _host.SendAsync(HttpMethod.Put, "/policy", Policies.Json(version: 1, burst: 9), key: false,
            identity: HeaderIdentityAuthenticator.Value("dev", "olivia", "role=operator"));

        Assert.Equal(200, status);
        Assert.Equal(2, JsonDocument.Parse(body).RootElement.GetProperty("version").GetInt64());
        var (_, policy) = await _host.SendAsync(HttpMethod.Get, "/policy");
        Assert.Equal(9, JsonDocument.Parse(policy).RootElement.GetProperty("rules")[0].GetProperty("rate").GetProperty("burst").GetProperty("count").GetInt64());
        var (_, audit) = await _host.SendAsync(HttpMethod.Get, "/audit");
        var entry = JsonDocument.Parse(audit).RootElement[0];
        Assert.Equal("dev:olivia", entry.GetProperty("actor").GetString());
        Assert.Equal(2, entry.GetProperty("toVersion").GetInt64());
        Assert.Contains("$.rules.app.rate.burst.count: 2 → 9", entry.GetProperty("changes").EnumerateArray().Select(c => c.GetString()));
    }

    [Fact]
    public async Task Put_WithStaleVersion_Is409_AndChangesNothing()
    {
        Assert.Equal(200, (await _host.SendAsync(HttpMethod.Put, "/policy", Policies.Json(version: 1, burst: 5))).Status);

        var (status, body) = await _host.SendAsync(HttpMethod.Put, "/policy", Policies.Json(version: 1, burst: 7));

        Assert.Equal(409, status);
        Assert.Equal(2, JsonDocument.Parse(body).RootElement.GetProperty("currentVersion").GetInt64());
        var (_, policy) = await _host.SendAsync(HttpMethod.Get, "/policy");
        Assert.Contains("\"count\": 5", policy, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Put_InvalidPolicy_Is400_WithEveryProblem()
    {
        var json = Policies.Json(version: 1, burst: 0).Replace("\"maxGasPerTx\": 200000", "\"maxGasPerTx\": 1", StringComparison.Ordinal);

        var (status, body) = await _host.SendAsync(HttpMethod.Put, "/policy", json);

        Assert.Equal(400, status);
        var paths = JsonDocument.Parse(body).RootElement.GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("path").GetString()).ToList();
        Assert.Contains("$.rules[0].maxGasPerTx", paths);
        Assert.Contains("$.rules[0].rate.burst.count", paths);
        Assert.Equal(1, _host.Services.GetRequiredService<Admission.Policy.PolicyHolder>().Current.Version);
    }

    [Theory]
    [InlineData("{ not json")]
    [InlineData("")]
    [InlineData("[]")]
    public async Task Put_Garbage_Is400(string body)
    {
        Assert.Equal(400, (await _host.SendAsync(HttpMethod.Put, "/policy", body)).Status);
    }

    [Fact]
    public async Task A_body_over_one_MiB_is_413_and_changes_nothing()
    {
        var huge = "{\"identity\":\"dev:" + new string('a', 1 << 20) + "\"}";

        var (status, body) = await _host.SendAsync(HttpMethod.Post, "/block", huge);

        Assert.Equal(413, status);
        Assert.Contains("body larger than 1048576 bytes", body, StringComparison.Ordinal);
        Assert.Equal(1, _host.Services.GetRequiredService<Admission.Policy.PolicyHolder>().Current.Version);
    }

    [Theory]
    [InlineData("/block", "{\"identity\": 5}", "invalid JSON")]
    [InlineData("/block", "", "a JSON body is required")]
    [InlineData("/policy/dry-run", "{\"identity\": {\"provider\": \"dev\"}, \"request\": {}}", "identity must be")]
    [InlineData("/policy/dry-run", "{\"identity\": {\"provider\": \"dev\", \"subject\": \"a\"}}", "request: is required")]
    public async Task Bad_bodies_are_400_with_what_was_wrong(string path, string json, string expected)
    {
        var (status, body) = await _host.SendAsync(HttpMethod.Post, path, json);

        Assert.Equal(400, status);
        Assert.Contains(expected, JsonDocument.Parse(body).RootElement.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task BlockAndUnblock_ChangeWhatTheGateDecides()
    {
        var gate = _host.Services.GetRequiredService<SponsoredTransactionGate>();
        var alice = Identities.Of("dev", "alice");
        var call = new SponsoredCall(Policies.Token, Policies.TransferData(), UInt128.Zero, null);

        Assert.Equal(200, (await _host.SendAsync(HttpMethod.Post, "/block", """{"identity":"dev:alice"}""")).Status);
        Assert.Equal("blocked", (await gate.AdmitAsync(alice, call)).Reason);

        Assert.Equal(200, (await _host.SendAsync(HttpMethod.Post, "/unblock", """{"identity":"dev:alice"}""")).Status);
        Assert.True((await gate.AdmitAsync(alice, call)).IsAdmitted);
        Assert.Equal(400, (await _host.SendAsync(HttpMethod.Post, "/block", """{"identity":"nocolon"}""")).Status);
    }

    [Fact]
    public async Task DryRun_AgainstADraft_DoesNotChangeThePolicyOrLimits()
    {
        const string request = """
            "identity": { "provider": "dev", "subject": "alice" },
            "request": { "to": "0x1111111111111111111111111111111111111111", "data": "0xa9059cbb" }
            """;
        var draft = Policies.Json(version: 1, blocked: "\"dev:alice\"");

        var (status, body) = await _host.SendAsync(HttpMethod.Post, "/policy/dry-run", "{\"policy\": " + draft + ", " + request + "}");
        var (_, current) = await _host.SendAsync(HttpMethod.Post, "/policy/dry-run", "{" + request + "}");
        var (bad, badBody) = await _host.SendAsync(HttpMethod.Post, "/policy/dry-run", "{\"policy\": {\"version\": 1}, " + request + "}");

        Assert.Equal(200, status);
        var result = JsonDocument.Parse(body).RootElement;
        Assert.Equal("denied", result.GetProperty("verdict").GetString());
        Assert.Equal(-32003, result.GetProperty("code").GetInt32());
        Assert.Equal("blocked", result.GetProperty("reason").GetString());
        Assert.Equal("admitted", JsonDocument.Parse(current).RootElement.GetProperty("verdict").GetString());
        Assert.Equal(400, bad);
        Assert.Contains("$.rules", badBody, StringComparison.Ordinal);
        Assert.Equal(1, _host.Services.GetRequiredService<Admission.Policy.PolicyHolder>().Current.Version);
    }

    [Fact]
    public async Task Usage_ListsTopIdentities_AndOneIdentity()
    {
        var gate = _host.Services.GetRequiredService<SponsoredTransactionGate>();
        var call = new SponsoredCall(Policies.Token, Policies.TransferData(), UInt128.Zero, 60_000);
        await gate.AdmitAsync(Identities.Of("dev", "alice"), call);
        await gate.AdmitAsync(Identities.Of("dev", "alice"), call);
        await gate.AdmitAsync(Identities.Of("dev", "bob"), call);

        var (status, body) = await _host.SendAsync(HttpMethod.Get, "/usage?top=5&identity=dev:alice");

        Assert.Equal(200, status);
        var report = JsonDocument.Parse(body).RootElement;
        Assert.Equal(3, report.GetProperty("globalTxToday").GetInt64());
        Assert.Equal("dev:alice", report.GetProperty("top")[0].GetProperty("identity").GetString());
        Assert.Equal(120_000, report.GetProperty("top")[0].GetProperty("gasToday").GetInt64());
        Assert.Equal(2, report.GetProperty("identity").GetProperty("txToday").GetInt64());
        Assert.Equal(0, report.GetProperty("identity").GetProperty("burst").GetProperty("remaining").GetInt64());
        Assert.Equal(400, (await _host.SendAsync(HttpMethod.Get, "/usage?top=abc")).Status);
    }

    [Fact]
    public async Task PolicyEdits_SurviveARestart()
    {
        Assert.Equal(200, (await _host.SendAsync(HttpMethod.Post, "/block", """{"identity":"dev:eve"}""")).Status);
        await _host.DisposeAsync();

        _host = await AdmissionHost.StartAsync(Policies.Json(version: 1, burst: 2), dataDirectory: _host.DataDirectory);

        var policy = _host.Services.GetRequiredService<Admission.Policy.PolicyHolder>().Current;
        Assert.Equal(2, policy.Version);
        Assert.Contains("dev:eve", (IReadOnlySet<string>)policy.Blocked);
    }
}
