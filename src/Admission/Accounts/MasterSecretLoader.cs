using System.Security.Cryptography;
using Admission.Hosting;
using Microsoft.Extensions.Logging;

namespace Admission.Accounts;

/// <summary>
/// Finds the master secret: <c>Admission:MasterSecret</c> (hex), else <c>Admission:MasterSecretFile</c>,
/// else, when <c>GenerateDevMasterSecret</c> is on, a file in the data directory created on first start.
/// </summary>
public static partial class MasterSecretLoader
{
    public const string DevFileName = "admission-master-secret";

    public static MasterSecret Load(AdmissionOptions options, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!string.IsNullOrWhiteSpace(options.MasterSecret))
        {
            return Parse(options.MasterSecret, "Admission:MasterSecret");
        }

        if (!string.IsNullOrWhiteSpace(options.MasterSecretFile))
        {
            return Parse(File.ReadAllText(options.MasterSecretFile), "the file " + options.MasterSecretFile);
        }

        if (!options.GenerateDevMasterSecret)
        {
            throw new InvalidOperationException("no master secret: set Admission:MasterSecret or Admission:MasterSecretFile (or GenerateDevMasterSecret for development)");
        }

        var path = Path.Combine(options.DataDirectory ?? "data", DevFileName);
        if (File.Exists(path))
        {
            return Parse(File.ReadAllText(path), "the file " + path);
        }

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var bytes = RandomNumberGenerator.GetBytes(MasterSecret.MinLength);
        var options600 = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options600.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var writer = new StreamWriter(path, options600))
        {
            writer.Write(Convert.ToHexStringLower(bytes));
        }

        LogGenerated(logger, path);
        var secret = new MasterSecret(bytes);
        CryptographicOperations.ZeroMemory(bytes);
        return secret;
    }

    private static MasterSecret Parse(string text, string source)
    {
        var hex = text.Trim();
        if (hex.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            hex = hex[2..];
        }

        byte[] bytes;
        try
        {
            bytes = Convert.FromHexString(hex);
        }
        catch (FormatException)
        {
            // Never echo the value: it is the secret.
            throw new InvalidOperationException($"the master secret in {source} is not hex");
        }

        if (bytes.Length < MasterSecret.MinLength)
        {
            throw new InvalidOperationException($"the master secret in {source} is {bytes.Length} bytes; at least {MasterSecret.MinLength} are needed");
        }

        var secret = new MasterSecret(bytes);
        CryptographicOperations.ZeroMemory(bytes);
        return secret;
    }

    [LoggerMessage(EventId = 400, Level = LogLevel.Warning, Message = "Generated a development master secret for identity accounts in {Path}; set Admission:MasterSecretFile in production")]
    private static partial void LogGenerated(ILogger logger, string path);
}
