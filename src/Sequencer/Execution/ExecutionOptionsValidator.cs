using Microsoft.Extensions.Options;
using Primitives;

namespace Sequencer.Execution;

/// <summary>The range annotations of <see cref="ExecutionOptions"/>, checked by generated code (no reflection).</summary>
[OptionsValidator]
internal sealed partial class ExecutionOptionsAnnotationsValidator : IValidateOptions<ExecutionOptions>;

/// <summary>Cross-field rules the annotations cannot say: each kind needs its URLs and secret.</summary>
internal sealed class ExecutionOptionsValidator : IValidateOptions<ExecutionOptions>
{
    public ValidateOptionsResult Validate(string? name, ExecutionOptions options)
    {
        var failures = new List<string>();
        if (options.Kind != ExecutionKind.None && !IsHttpUrl(options.RpcUrl))
        {
            failures.Add($"{ExecutionOptions.Section}:RpcUrl must be an http(s) URL when Kind is {options.Kind}");
        }

        if (options.Kind == ExecutionKind.Engine)
        {
            if (!IsHttpUrl(options.EngineUrl))
            {
                failures.Add($"{ExecutionOptions.Section}:EngineUrl must be an http(s) URL when Kind is Engine");
            }

            if (string.IsNullOrWhiteSpace(options.JwtSecretFile))
            {
                failures.Add($"{ExecutionOptions.Section}:JwtSecretFile is required when Kind is Engine");
            }

            if (!Address.TryParse(options.FeeRecipient, out _))
            {
                failures.Add($"{ExecutionOptions.Section}:FeeRecipient must be a 20-byte hex address");
            }
        }

        if (options.SyncTimeoutMs > options.MaxSyncTimeoutMs)
        {
            failures.Add($"{ExecutionOptions.Section}:SyncTimeoutMs must not exceed MaxSyncTimeoutMs");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static bool IsHttpUrl(string? value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);
}
