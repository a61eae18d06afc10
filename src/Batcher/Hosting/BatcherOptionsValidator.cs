using Batcher.Options;
using Batcher.L1;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Nethereum.Util;
using Primitives.Secrets;

namespace Batcher.Hosting;

/// <summary>
/// Checks the "Batcher" section at start, with one message per wrong setting. With L1 posting on, the L1
/// key is loaded here too, so a malformed key stops the start (named by setting) instead of faulting the
/// batcher later.
/// </summary>
internal sealed class BatcherOptionsValidator(IConfiguration configuration) : IValidateOptions<BatcherOptions>
{
    public ValidateOptionsResult Validate(string? name, BatcherOptions options)
    {
        var errors = new List<string>();
        if (options.MaxBatchBytes is < 1024 or > 16 * 1024 * 1024)
        {
            errors.Add($"Batcher:MaxBatchBytes must be between 1024 and 16777216, got {options.MaxBatchBytes}");
        }

        if (options.MaxBatchAgeMs < 10)
        {
            errors.Add($"Batcher:MaxBatchAgeMs must be at least 10, got {options.MaxBatchAgeMs}");
        }

        if (options.CompressionLevel is < 1 or > 22)
        {
            errors.Add($"Batcher:CompressionLevel must be a zstd level from 1 to 22, got {options.CompressionLevel}");
        }

        if (options.EncodeParallelism is < 1 or > 64)
        {
            errors.Add($"Batcher:EncodeParallelism must be between 1 and 64, got {options.EncodeParallelism}");
        }

        if (options.DaFailoverAfterMs < 0 || options.DaRetryDelayMs < 1 || options.DaRecoveryProbeMs < 1)
        {
            errors.Add("Batcher:DaFailoverAfterMs must be >= 0 and Batcher:DaRetryDelayMs, Batcher:DaRecoveryProbeMs >= 1");
        }

        if (string.IsNullOrWhiteSpace(options.CheckpointFile))
        {
            errors.Add("Batcher:CheckpointFile must name a file");
        }

        var l1 = options.L1;
        if (l1.Enabled)
        {
            if (!Uri.TryCreate(l1.RpcUrl, UriKind.Absolute, out var rpc) || (rpc.Scheme != "http" && rpc.Scheme != "https"))
            {
                errors.Add($"Batcher:L1:RpcUrl must be an http(s) URL when L1 posting is enabled, got \"{l1.RpcUrl}\"");
            }

            if (!AddressUtil.Current.IsValidEthereumAddressHexFormat(l1.InboxAddress))
            {
                errors.Add($"Batcher:L1:InboxAddress must be a 0x-prefixed 20-byte address, got \"{l1.InboxAddress}\"");
            }

            if (string.IsNullOrWhiteSpace(l1.PrivateKey) == string.IsNullOrWhiteSpace(l1.KeyFile))
            {
                errors.Add("Batcher:L1 needs exactly one of PrivateKey or KeyFile when L1 posting is enabled");
            }
            else
            {
                try
                {
                    L1PosterKey.Load(l1, BatcherDataDirectory.Of(options, configuration).Path);
                }
                catch (SecretSettingException e)
                {
                    errors.Add(e.Message);
                }
            }
        }

        if (l1.Confirmations < 1 || l1.PollIntervalMs < 1 || l1.StuckAfterMs < 1 || l1.MaxPendingPosts < 1)
        {
            errors.Add("Batcher:L1:Confirmations, PollIntervalMs, StuckAfterMs and MaxPendingPosts must be at least 1");
        }

        if (l1.FeeBumpPercent is < 10 or > 1000)
        {
            errors.Add($"Batcher:L1:FeeBumpPercent must be between 10 and 1000 (nodes refuse replacements under +10%), got {l1.FeeBumpPercent}");
        }

        if (l1.MaxFeePerGasWei < 1)
        {
            errors.Add("Batcher:L1:MaxFeePerGasWei must be positive");
        }

        if (l1.CalldataMaxBatchBytes is < 1024 or > 126 * 1024)
        {
            errors.Add($"Batcher:L1:CalldataMaxBatchBytes must be between 1024 and 129024 (an L1 transaction is at most 128 KiB), got {l1.CalldataMaxBatchBytes}");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
