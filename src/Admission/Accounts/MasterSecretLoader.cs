using Admission.Options;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Primitives.Secrets;

namespace Admission.Accounts;

/// <summary>
/// Finds the master secret: <c>Admission:MasterSecret</c> (hex), else <c>Admission:MasterSecretFile</c>,
/// else, in the Development environment only (unless <c>GenerateDevMasterSecret</c> is false), a file in the
/// data directory created on first start. Parsing errors name the setting, never the value.
/// </summary>
internal static partial class MasterSecretLoader
{
    public const string DevFileName = "admission-master-secret";
    internal const string ValueSetting = AdmissionOptions.Section + ":" + nameof(AdmissionOptions.MasterSecret);
    internal const string FileSetting = AdmissionOptions.Section + ":" + nameof(AdmissionOptions.MasterSecretFile);
    internal const string GenerateSetting = AdmissionOptions.Section + ":" + nameof(AdmissionOptions.GenerateDevMasterSecret);
    private static readonly SecretShape Shape = SecretShape.AtLeast(MasterSecret.MinLength);

    /// <summary>Null when a missing master secret may be generated here, else why not (naming the settings).</summary>
    public static string? WhyNotGenerated(AdmissionOptions options, bool isDevelopment)
    {
        ArgumentNullException.ThrowIfNull(options);
        return DevelopmentSecrets.WhyNotGenerated(options.GenerateDevMasterSecret, GenerateSetting, isDevelopment, $"no master secret for identity accounts: set {FileSetting} (or {ValueSetting})");
    }

    public static MasterSecret Load(AdmissionOptions options, bool isDevelopment, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (SecretSource.Load(options.MasterSecret, ValueSetting, options.MasterSecretFile, FileSetting, Shape) is { } configured)
        {
            return Take(configured);
        }

        if (WhyNotGenerated(options, isDevelopment) is { } why)
        {
            throw new SecretSettingException(FileSetting, why);
        }

        var path = Path.Combine(options.DataDirectory ?? "data", DevFileName);
        if (File.Exists(path))
        {
            return Take(SecretSource.ReadFile(path, $"{AdmissionOptions.Section}:DataDirectory/{DevFileName}", Shape));
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
        return Take(bytes);
    }

    private static MasterSecret Take(byte[] bytes)
    {
        var secret = new MasterSecret(bytes);
        CryptographicOperations.ZeroMemory(bytes);
        return secret;
    }

    [LoggerMessage(EventId = 400, Level = LogLevel.Warning, Message = "Generated a development master secret for identity accounts in {Path}; set Admission:MasterSecretFile in production")]
    private static partial void LogGenerated(ILogger logger, string path);
}
