using DaClient.Disperser;
using DaClient.Local;
using DaClient.Proxy;
using Microsoft.Extensions.Options;

namespace DaClient;

/// <summary>
/// Validates the whole "Sequencer:Da" tree at start, each section's attributes by a validator generated at build time and
/// named by its path (data annotations do not descend into nested objects), plus the rules that span fields of the
/// selected backend.
/// </summary>
internal sealed class DaOptionsValidator : IValidateOptions<DaOptions>
{
    public ValidateOptionsResult Validate(string? name, DaOptions options)
    {
        var failures = new List<string>();
        Check(options.Local, new LocalDaAnnotations(), DaOptions.Section + ":Local", failures);
        Check(options.Proxy, new ProxyDaAnnotations(), DaOptions.Section + ":Proxy", failures);
        Check(options.Disperser, new DisperserDaAnnotations(), DaOptions.Section + ":Disperser", failures);

        switch (options.Kind)
        {
            case DaBackend.Proxy when !Uri.TryCreate(options.Proxy.BaseUrl, UriKind.Absolute, out _):
                failures.Add($"{DaOptions.Section}:Proxy:BaseUrl must be an absolute URL, got '{options.Proxy.BaseUrl}'");
                break;
            case DaBackend.Disperser:
                var disperser = options.Disperser;
                if (!Uri.TryCreate(disperser.Endpoint, UriKind.Absolute, out _) || !Uri.TryCreate(disperser.RelayEndpoint, UriKind.Absolute, out _))
                {
                    failures.Add($"{DaOptions.Section}:Disperser:Endpoint and RelayEndpoint must be absolute URLs");
                }

                if (string.IsNullOrWhiteSpace(disperser.AccountKey) && string.IsNullOrWhiteSpace(disperser.AccountKeyFile))
                {
                    failures.Add($"{DaOptions.Section}:Disperser needs AccountKey or AccountKeyFile (the payment account)");
                }

                if (disperser.ReservedBytesPerSecond == 0 && !disperser.OnDemandEnabled)
                {
                    failures.Add($"{DaOptions.Section}:Disperser has no reservation (ReservedBytesPerSecond = 0) and OnDemandEnabled = false: nothing can be dispersed");
                }

                foreach (var quorum in disperser.Quorums)
                {
                    if (quorum > byte.MaxValue)
                    {
                        failures.Add($"{DaOptions.Section}:Disperser:Quorums holds {quorum}; quorum numbers are single bytes");
                    }
                }

                break;
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Check<T>(T? section, IValidateOptions<T> annotations, string path, List<string> failures)
        where T : class
    {
        if (section is null)
        {
            failures.Add($"{path} is required");
            return;
        }

        var result = annotations.Validate(null, section);
        if (result.Failed)
        {
            foreach (var failure in result.Failures)
            {
                failures.Add($"{path}: {failure}");
            }
        }
    }
}

// Generated at build time: the attributes are checked without reflection, which cost every start tens of ms
// (an invoke stub compiled per property; docs/benchmarks.md, "Restart").
[OptionsValidator]
internal sealed partial class LocalDaAnnotations : IValidateOptions<LocalDaOptions>;

[OptionsValidator]
internal sealed partial class ProxyDaAnnotations : IValidateOptions<ProxyDaOptions>;

[OptionsValidator]
internal sealed partial class DisperserDaAnnotations : IValidateOptions<DisperserDaOptions>;
