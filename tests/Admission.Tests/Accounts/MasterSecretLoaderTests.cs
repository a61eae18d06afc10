using Admission.Options;
using Admission.Accounts;
using Admission.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Primitives.Secrets;

namespace Admission.Tests.Accounts;

public sealed class MasterSecretLoaderTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "adm-secret-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public void DevSecret_IsGeneratedOnce_ThenReused()
    {
        var options = new AdmissionOptions { DataDirectory = _dir };

        var first = new Admission.Accounts.IdentityAccounts(MasterSecretLoader.Load(options, isDevelopment: true, NullLogger.Instance));
        var second = new Admission.Accounts.IdentityAccounts(MasterSecretLoader.Load(options, isDevelopment: true, NullLogger.Instance));

        var alice = Infrastructure.Identities.Of("dev", "alice");
        Assert.Equal(first.AddressOf(alice), second.AddressOf(alice));
        Assert.True(File.Exists(Path.Combine(_dir, MasterSecretLoader.DevFileName)));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(_dir, MasterSecretLoader.DevFileName)));
        }
    }

    [Theory]
    [InlineData(null)]
    [InlineData(true)]
    public void OutsideDevelopment_NothingIsGenerated_AndTheMissingSettingIsNamed(bool? generate)
    {
        var options = new AdmissionOptions { GenerateDevMasterSecret = generate, DataDirectory = _dir };

        var error = Assert.Throws<SecretSettingException>(() => MasterSecretLoader.Load(options, isDevelopment: false, NullLogger.Instance));

        Assert.Contains("Admission:MasterSecretFile", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_dir, MasterSecretLoader.DevFileName)));
    }

    [Fact]
    public void ShortOrNonHexSecret_IsRejected_WithoutEchoingIt()
    {
        var shortOne = Assert.Throws<SecretSettingException>(() => MasterSecretLoader.Load(new AdmissionOptions { MasterSecret = "abcd" }, isDevelopment: false, NullLogger.Instance));
        var notHex = Assert.Throws<SecretSettingException>(() => MasterSecretLoader.Load(new AdmissionOptions { MasterSecret = "secret-words-secret-words-secret-words-secret-words-secret-words" }, isDevelopment: false, NullLogger.Instance));

        Assert.Contains("at least 32", shortOne.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret-words", notHex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SecretFile_IsRead()
    {
        Directory.CreateDirectory(_dir);
        var file = Path.Combine(_dir, "secret");
        File.WriteAllText(file, "0x" + new string('a', 64) + "\n");

        var secret = MasterSecretLoader.Load(new AdmissionOptions { MasterSecretFile = file }, isDevelopment: false, NullLogger.Instance);

        Assert.NotNull(secret);
    }

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }
}
