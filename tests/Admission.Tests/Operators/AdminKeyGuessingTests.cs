using Admission.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Admission.Tests.Operators;

/// <summary>Guessing the admin key over HTTP: logged (never the key), limited per client, and a weak key never configured.</summary>
public sealed class AdminKeyGuessingTests
{
    [Fact]
    public async Task Wrong_keys_are_logged_without_the_key_and_past_the_budget_even_the_right_key_is_refused_for_a_while()
    {
        var log = new CapturedLog();
        await using var host = await AdmissionHost.StartAsync(settings: new Dictionary<string, string?>
        {
            ["Admission:AdminKeyMaxFailures"] = "3",
            ["Admission:AdminKeyFailurePeriodSeconds"] = "3600",
        }, configureServices: services => services.AddSingleton<ILoggerProvider>(log));
        var guesses = new[] { "guess-one-0123456789abcdefghijklmnop", "guess-two-0123456789abcdefghijklmnop", "guess-three-0123456789abcdefghijklm" };

        var statuses = new List<int>();
        foreach (var guess in guesses)
        {
            statuses.Add(await GetPolicyAsync(host, guess));
        }

        using var locked = host.Request(HttpMethod.Get, "/policy");
        using var lockedResponse = await host.Client.SendAsync(locked);

        Assert.Equal([401, 401, 401], statuses);
        Assert.Equal(429, (int)lockedResponse.StatusCode);
        Assert.True(lockedResponse.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        var failures = log.Lines.Where(line => line.Contains("wrong admin key from 127.0.0.1", StringComparison.Ordinal)).ToList();
        Assert.Equal(3, failures.Count);
        Assert.DoesNotContain(log.Lines, line => guesses.Any(guess => line.Contains(guess, StringComparison.Ordinal)) || line.Contains(AdmissionHost.AdminKey, StringComparison.Ordinal));
        // Identities are not held back by the lock-out of the key.
        Assert.Equal(200, (await host.SendAsync(HttpMethod.Get, "/policy", key: false, identity: TestInfrastructure.Identity.HeaderIdentityAuthenticator.Value("dev", "olivia", "role=operator"))).Status);
    }

    [Theory]
    [InlineData("test-admin-key-0123456789", "at least 32 random characters")]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "must be random")]
    [InlineData("abcabcabcabcabcabcabcabcabcabcabcabcabcabc", "must be random")]
    [InlineData("has spaces 0123456789abcdefghijklmnopqrstuvwxyz", "without spaces")]
    public async Task A_weak_admin_key_stops_the_host_naming_the_setting_but_not_the_key(string key, string expected)
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => AdmissionHost.StartAsync(settings: new Dictionary<string, string?> { ["Admission:AdminApiKey"] = key }));

        Assert.Contains("Admission:AdminApiKey", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(key, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_weak_key_in_the_key_file_stops_the_host_too()
    {
        var file = Path.GetTempFileName();
        await File.WriteAllTextAsync(file, "short-key\n");
        try
        {
            var error = await Assert.ThrowsAsync<OptionsValidationException>(() => AdmissionHost.StartAsync(settings: new Dictionary<string, string?>
            {
                ["Admission:AdminApiKey"] = "",
                ["Admission:AdminApiKeyFile"] = file,
            }));

            Assert.Contains("Admission:AdminApiKeyFile", error.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("short-key", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static async Task<int> GetPolicyAsync(AdmissionHost host, string key)
    {
        using var request = host.Request(HttpMethod.Get, "/policy", key: false);
        request.Headers.Add("X-Admin-Key", key);
        using var response = await host.Client.SendAsync(request);
        return (int)response.StatusCode;
    }
}
