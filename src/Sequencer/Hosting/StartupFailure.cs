using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using Primitives.Secrets;

namespace Sequencer.Hosting;

/// <summary>
/// Tells a configuration mistake that stops the start (invalid options, a value of the wrong type, a missing or
/// malformed secret setting, a port another process holds) from a fault: the former is reported as one message for
/// the operator, the latter keeps its stack trace.
/// </summary>
internal static partial class StartupFailure
{
    /// <summary>The message to show for a configuration mistake, or null when <paramref name="error"/> is not one.</summary>
    public static string? Describe(Exception error) => error switch
    {
        OptionsValidationException or SecretSettingException => error.Message,
        InvalidOperationException when ConversionFailure().Match(error.Message) is { Success: true } bad => WrongType(bad),
        IOException { InnerException: Microsoft.AspNetCore.Connections.AddressInUseException } =>
            $"Urls: {BindAddress().Match(error.Message).Groups["address"].Value} is already in use by another process; " +
            "choose another port, e.g. --Urls=http://127.0.0.1:8546 (docs/operations.md)",
        AggregateException all when all.InnerExceptions.Count > 0 && all.InnerExceptions.All(e => Describe(e) is not null) =>
            string.Join("; ", all.InnerExceptions.Select(e => Describe(e))),
        _ => null,
    };

    /// <summary>The binder's "Failed to convert configuration value 'x' at 'A:B' to type 'System.UInt64'", said plainly.</summary>
    private static string WrongType(Match bad)
    {
        var key = bad.Groups["key"].Value;
        var type = bad.Groups["type"].Value switch
        {
            "System.Int32" or "System.Int64" or "System.UInt32" or "System.UInt64" or "System.Int16" or "System.UInt16" or "System.Byte" => "whole number",
            "System.Double" or "System.Single" or "System.Decimal" => "number",
            "System.Boolean" => "true or false",
            "System.TimeSpan" => "time span (hh:mm:ss)",
            "System.Uri" => "URL",
            var other => other[(other.LastIndexOf('.') + 1)..] + " value",
        };
        // A secret's value is never shown (the key is named).
        var secret = key.Contains("Secret", StringComparison.OrdinalIgnoreCase) || key.Contains("Key", StringComparison.OrdinalIgnoreCase) ||
                     key.Contains("Password", StringComparison.OrdinalIgnoreCase) || key.Contains("Token", StringComparison.OrdinalIgnoreCase);
        return secret
            ? $"setting {key}: the value is not a valid {type}"
            : $"setting {key}: \"{bad.Groups["value"].Value}\" is not a valid {type}";
    }

    [GeneratedRegex(@"^Failed to convert configuration value '(?<value>.*)' at '(?<key>[^']+)' to type '(?<type>[^']+)'", RegexOptions.Singleline)]
    private static partial Regex ConversionFailure();

    [GeneratedRegex(@"address (?<address>\S+?): ")]
    private static partial Regex BindAddress();
}
