using Admission.Tests.Infrastructure;
using Microsoft.Extensions.Options;

namespace Admission.Tests.Operators;

public class AdmissionOptionsTests
{
    [Theory]
    [InlineData("Admission:Store", "Redis", "RedisConfiguration is required")]
    [InlineData("Admission:AdminApiKey", "short", "at least 32")]
    [InlineData("Admission:PolicyFile", "/nonexistent/policy.json", "does not exist")]
    [InlineData("Admission:MasterSecret", "", "Admission:MasterSecretFile")]
    public async Task BadSettings_StopTheHostAtStart_WithAClearMessage(string key, string value, string expected)
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => AdmissionHost.StartAsync(settings: new Dictionary<string, string?> { [key] = value }));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }
}
