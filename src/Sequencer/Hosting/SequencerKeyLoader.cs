using Sequencer.Options;
using System.Security.Cryptography;
using Primitives.Secrets;
using Sequencer.Sequencing;

namespace Sequencer.Hosting;

/// <summary>
/// Finds the sequencer key: <c>Sequencer:PrivateKey</c>, else <c>Sequencer:KeyFile</c>, else (Development
/// only) a key generated into the data directory. Outside Development a missing key stops the start. The
/// secret is never logged; only the address is printed. Parsing errors name the setting, never the value.
/// </summary>
internal static class SequencerKeyLoader
{
    public const string DevKeyFileName = "sequencer.key";
    private const string PrivateKeySetting = SequencerOptions.Section + ":" + nameof(SequencerOptions.PrivateKey);
    private const string KeyFileSetting = SequencerOptions.Section + ":" + nameof(SequencerOptions.KeyFile);
    private const string GenerateSetting = SequencerOptions.Section + ":" + nameof(SequencerOptions.GenerateDevKey);

    public static SequencerKey Load(SequencerOptions options, bool isDevelopment, ILogger logger)
    {
        var configured = SecretSource.Load(options.PrivateKey, PrivateKeySetting, options.KeyFile, KeyFileSetting, SecretShape.PrivateKey);
        if (configured is not null)
        {
            var key = FromSecret(configured);
            SequencerKeyLog.Loaded(logger, key.Address.ToString(), string.IsNullOrWhiteSpace(options.PrivateKey) ? KeyFileSetting : PrivateKeySetting);
            return key;
        }

        if (DevelopmentSecrets.WhyNotGenerated(options.GenerateDevKey, GenerateSetting, isDevelopment, $"no sequencer key: set {KeyFileSetting} (or {PrivateKeySetting})") is { } why)
        {
            throw new SecretSettingException(KeyFileSetting, why);
        }

        var file = Path.Combine(options.DataDirectory, DevKeyFileName);
        if (File.Exists(file))
        {
            var existing = FromSecret(SecretSource.ReadFile(file, $"{SequencerOptions.Section}:DataDirectory/{DevKeyFileName}", SecretShape.PrivateKey));
            SequencerKeyLog.Loaded(logger, existing.Address.ToString(), file);
            return existing;
        }

        var generated = SequencerKey.Generate();
        Directory.CreateDirectory(options.DataDirectory);
        WriteSecretFile(file, generated.ExportSecretHex());
        // Printed once, to the console, on purpose: the operator needs the address to verify confirmations.
        Console.WriteLine($"Generated a development sequencer key in {file}; sequencer address {generated.Address}");
        return generated;
    }

    private static SequencerKey FromSecret(byte[] secret)
    {
        try
        {
            return new SequencerKey(secret);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(secret);
        }
    }

    private static void WriteSecretFile(string path, string content)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using var stream = new FileStream(path, options);
        using var writer = new StreamWriter(stream);
        writer.Write(content);
    }
}

internal static partial class SequencerKeyLog
{
    [LoggerMessage(EventId = 40, Level = LogLevel.Information, Message = "Sequencer key loaded from {Source}; sequencer address {Address}")]
    public static partial void Loaded(ILogger logger, string address, string source);
}
