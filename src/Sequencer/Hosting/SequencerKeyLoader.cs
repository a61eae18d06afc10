using Sequencer.Primitives;
using Sequencer.Sequencing;

namespace Sequencer.Hosting;

/// <summary>
/// Finds the sequencer key: configured hex key, else a key file, else (dev) a key generated into the
/// data directory. The secret is never logged; only the address is printed.
/// </summary>
internal static class SequencerKeyLoader
{
    public const string DevKeyFileName = "sequencer.key";

    public static SequencerKey Load(SequencerOptions options, ILogger logger)
    {
        if (!string.IsNullOrWhiteSpace(options.PrivateKey))
        {
            return FromHex(options.PrivateKey, "Sequencer:PrivateKey");
        }

        var file = options.KeyFile;
        if (string.IsNullOrWhiteSpace(file))
        {
            if (!options.GenerateDevKey)
            {
                throw new InvalidOperationException("no sequencer key: set Sequencer:KeyFile or Sequencer:PrivateKey (or enable Sequencer:GenerateDevKey for development)");
            }

            file = Path.Combine(options.DataDirectory, DevKeyFileName);
            if (!File.Exists(file))
            {
                var generated = SequencerKey.Generate();
                Directory.CreateDirectory(options.DataDirectory);
                WriteSecretFile(file, generated.ExportSecretHex());
                // Printed once, to the console, on purpose: the operator needs the address to verify confirmations.
                Console.WriteLine($"Generated a development sequencer key in {file}; sequencer address {generated.Address}");
                return generated;
            }
        }

        if (!File.Exists(file))
        {
            throw new InvalidOperationException($"sequencer key file {file} does not exist");
        }

        var key = FromHex(File.ReadAllText(file).Trim(), file);
        SequencerKeyLog.Loaded(logger, key.Address.ToString(), file);
        return key;
    }

    private static SequencerKey FromHex(string hex, string source)
    {
        Span<byte> secret = stackalloc byte[32];
        if (!Hex.TryDecodeFixed(hex.Trim(), secret))
        {
            throw new InvalidOperationException($"the sequencer key from {source} is not 32 bytes of hex");
        }

        try
        {
            return new SequencerKey(secret);
        }
        finally
        {
            secret.Clear();
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
