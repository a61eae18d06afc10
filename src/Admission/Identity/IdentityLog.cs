using Microsoft.Extensions.Logging;

namespace Admission.Identity;

internal static partial class IdentityLog
{
    [LoggerMessage(EventId = 4100, Level = LogLevel.Information, Message = "Login through {Provider} succeeded")]
    public static partial void LoginSucceeded(ILogger logger, string provider);

    [LoggerMessage(EventId = 4101, Level = LogLevel.Warning, Message = "Login through {Provider} failed: {Reason}")]
    public static partial void LoginFailed(ILogger logger, string provider, string reason);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Debug, Message = "Bearer token of {Provider} rejected: {Reason}")]
    public static partial void BearerRejected(ILogger logger, string provider, string reason);

    [LoggerMessage(EventId = 4103, Level = LogLevel.Information, Message = "Signing keys of {Provider} refreshed for an unknown key id")]
    public static partial void SigningKeysRefreshed(ILogger logger, string provider);

    [LoggerMessage(EventId = 4104, Level = LogLevel.Warning,
        Message = "The dev identity provider is on: anyone can log in as anyone. Turn it off outside development (Admission:Identity:DevProvider:Enabled=false)")]
    public static partial void DevProviderOn(ILogger logger);
}
