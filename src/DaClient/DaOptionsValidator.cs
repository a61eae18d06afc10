using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace DaClient;

/// <summary>
/// Validates the whole "Sequencer:Da" tree at start (data annotations do not descend into
/// nested objects) plus the rules that span fields of the selected backend.
/// </summary>
internal sealed class DaOptionsValidator : IValidateOptions<DaOptions>
{
    public ValidateOptionsResult Validate(string? name, DaOptions options)
    {
        var failures = new List<string>();
        Check(options, DaOptions.Section, failures);
        Check(options.Local, DaOptions.Section + ":Local", failures);
        Check(options.Proxy, DaOptions.Section + ":Proxy", failures);
        Check(options.Disperser, DaOptions.Section + ":Disperser", failures);

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

    private static void Check(object instance, string path, List<string> failures)
    {
        var results = new List<ValidationResult>();
        if (!Validator.TryValidateObject(instance, new ValidationContext(instance), results, validateAllProperties: true))
        {
            foreach (var result in results)
            {
                failures.Add($"{path}: {result.ErrorMessage}");
            }
        }
    }
}
