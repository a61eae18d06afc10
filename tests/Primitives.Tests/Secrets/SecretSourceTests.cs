using Primitives.Secrets;

namespace Primitives.Tests.Secrets;

public sealed class SecretSourceTests : IDisposable
{
    private const string Key = "59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d";
    private readonly string _directory = Directory.CreateTempSubdirectory("secret-source-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void InlineValue_WinsOverTheFile()
    {
        var secret = SecretSource.Load(Key, "X:PrivateKey", "/nonexistent/key", "X:KeyFile", SecretShape.PrivateKey);

        Assert.Equal(Convert.FromHexString(Key), secret);
    }

    [Fact]
    public void RelativeFile_IsReadFromTheBaseDirectory()
    {
        File.WriteAllText(Path.Combine(_directory, "l1.key"), "0x" + Key + "\n");

        var secret = SecretSource.Load("", "X:PrivateKey", "l1.key", "X:KeyFile", SecretShape.PrivateKey, _directory);

        Assert.Equal(Convert.FromHexString(Key), secret);
    }

    [Fact]
    public void NeitherSet_IsNull()
    {
        Assert.Null(SecretSource.Load(" ", "X:PrivateKey", null, "X:KeyFile", SecretShape.PrivateKey));
    }

    [Fact]
    public void MissingFile_NamesTheSettingOnly()
    {
        var error = Assert.Throws<SecretSettingException>(() => SecretSource.Load(null, "X:PrivateKey", Path.Combine(_directory, "absent.key"), "X:KeyFile", SecretShape.PrivateKey));

        Assert.Equal("X:KeyFile: the file does not exist", error.Message);
    }

    [Fact]
    public void QuotedFile_NamesTheFileSetting()
    {
        var file = Path.Combine(_directory, "quoted.key");
        File.WriteAllText(file, $"\"{Key}\"");

        var error = Assert.Throws<SecretSettingException>(() => SecretSource.Load(null, "X:PrivateKey", file, "X:KeyFile", SecretShape.PrivateKey));

        Assert.Equal("X:KeyFile", error.Setting);
        Assert.DoesNotContain(Key[..16], error.Message, StringComparison.Ordinal);
    }
}
