using Admission.Identity;
using Admission.Tests.Infrastructure;
using Admission.Web;
using Microsoft.Extensions.Options;

namespace Admission.Tests.Identity;

/// <summary>Bad provider configuration stops the host with the setting named; return URLs stay local.</summary>
public sealed class IdentityOptionsTests
{
    [Fact]
    public async Task An_oauth_provider_without_a_subject_mapping_or_endpoints_stops_the_host_naming_each_setting()
    {
        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => IdentityTestHost.StartAsync(
        [
            "--Admission:Identity:Providers:x:Kind=OAuth",
            "--Admission:Identity:Providers:x:ClientId=abc",
            "--Admission:Identity:Providers:x:ClientSecretFile=/nonexistent/secret",
            "--Admission:Identity:Providers:x:AuthorizationEndpoint=not a url",
        ]));

        Assert.Contains(failure.Failures, f => f.Contains("Providers:x:UserInfoClaims", StringComparison.Ordinal));
        Assert.Contains(failure.Failures, f => f.Contains("Providers:x:TokenEndpoint", StringComparison.Ordinal));
        Assert.Contains(failure.Failures, f => f.Contains("Providers:x:AuthorizationEndpoint", StringComparison.Ordinal));
        Assert.Contains(failure.Failures, f => f.Contains("Providers:x:ClientSecretFile does not exist", StringComparison.Ordinal));
    }

    [Fact]
    public void Only_none_as_allowed_algorithm_is_refused()
    {
        var options = new IdentityOptions();
        options.Providers["google"] = new IdentityProviderOptions { Authority = "https://accounts.google.com", ClientId = "id", AllowedAlgorithms = ["none"] };

        Assert.Contains(IdentityOptionsValidator.Problems(options), p => p.Contains("AllowedAlgorithms", StringComparison.Ordinal));
    }

    [Fact]
    public void The_dev_provider_name_and_names_with_other_characters_are_refused()
    {
        var options = new IdentityOptions();
        options.Providers["dev"] = new IdentityProviderOptions { Authority = "https://id.example", ClientId = "id" };
        options.Providers["My Provider"] = new IdentityProviderOptions { Authority = "https://id.example", ClientId = "id" };

        var problems = IdentityOptionsValidator.Problems(options);

        Assert.Contains(problems, p => p.Contains("Providers:dev", StringComparison.Ordinal) && p.Contains("reserved", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("Providers:My Provider", StringComparison.Ordinal) && p.Contains("a-z", StringComparison.Ordinal));
    }

    [Fact]
    public void The_client_secret_file_wins_and_is_trimmed()
    {
        var file = Path.GetTempFileName();
        File.WriteAllText(file, "from-file\n");
        try
        {
            Assert.Equal("from-file", ClientSecretSource.Read(new IdentityProviderOptions { ClientSecret = "from-config", ClientSecretFile = file }));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Theory]
    [InlineData("/app", "/app")]
    [InlineData("/admin?x=1", "/admin?x=1")]
    [InlineData("//evil.example", "/app")]
    [InlineData("/\\evil.example", "/app")]
    [InlineData("https://evil.example/", "/app")]
    [InlineData(null, "/app")]
    public void Return_urls_are_local_paths_only(string? requested, string expected)
    {
        Assert.Equal(expected, LoginEndpoints.LocalOrDefault(requested));
    }
}
