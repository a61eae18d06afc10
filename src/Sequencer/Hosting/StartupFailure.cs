using Microsoft.Extensions.Options;
using Primitives.Secrets;

namespace Sequencer.Hosting;

/// <summary>
/// Tells a configuration mistake that stops the start (invalid options, a missing or malformed secret
/// setting) from a fault: the former is reported as one message for the operator, the latter keeps its
/// stack trace.
/// </summary>
internal static class StartupFailure
{
    /// <summary>The message to show for a configuration mistake, or null when <paramref name="error"/> is not one.</summary>
    public static string? Describe(Exception error) => error switch
    {
        OptionsValidationException or SecretSettingException => error.Message,
        AggregateException all when all.InnerExceptions.Count > 0 && all.InnerExceptions.All(e => Describe(e) is not null) =>
            string.Join("; ", all.InnerExceptions.Select(e => Describe(e))),
        _ => null,
    };
}
