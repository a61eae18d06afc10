using System.Text.Json;
using Admission.Policy;
using Admission.Tests.Infrastructure;

namespace Admission.Tests.Operators;

/// <summary>The audit log over the operator API: small entries whatever the policy size, files only the owner can read.</summary>
public sealed class AuditEntryTests : IAsyncLifetime
{
    private const int BlockedCount = 20_000;
    private AdmissionHost _host = null!;

    public async Task InitializeAsync()
    {
        // About 900 KB of blocked identities, as in the audit that found whole lists copied into entries.
        var blocked = string.Join(", ", Enumerable.Range(0, BlockedCount).Select(i => $"\"x:{i:D32}\""));
        _host = await AdmissionHost.StartAsync(Policies.Json(version: 1, blocked: blocked));
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        Directory.Delete(_host.DataDirectory, recursive: true);
    }

    [Fact]
    public async Task Blocking_one_identity_records_only_that_identity_in_a_small_entry()
    {
        Assert.Equal(200, (await _host.SendAsync(HttpMethod.Post, "/block", """{"identity":"dev:eve"}""")).Status);

        var line = (await File.ReadAllLinesAsync(Path.Combine(_host.DataDirectory, FilePolicyStore.AuditFileName)))[^1];
        var entry = JsonDocument.Parse(line).RootElement;
        Assert.True(line.Length < 1_024, $"the entry is {line.Length} characters");
        Assert.Equal<string[]>(["$.blocked: added \"dev:eve\""], entry.GetProperty("changes").EnumerateArray().Select(c => c.GetString()!).ToArray());
        var (_, audit) = await _host.SendAsync(HttpMethod.Get, "/audit?count=1");
        Assert.True(audit.Length < 1_024, $"GET /audit returned {audit.Length} characters");
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task The_policy_and_audit_files_are_readable_by_their_owner_only()
    {
        Assert.Equal(200, (await _host.SendAsync(HttpMethod.Post, "/block", """{"identity":"dev:eve"}""")).Status);

        foreach (var name in new[] { FilePolicyStore.PolicyFileName, FilePolicyStore.AuditFileName })
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(_host.DataDirectory, name)));
        }
    }
}
