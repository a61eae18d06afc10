using Microsoft.Extensions.Options;

namespace Sequencer.Transactions;

/// <summary>Refuses to start with limits that would reject everything or accept nonsense.</summary>
internal sealed class TransactionValidationOptionsValidator : IValidateOptions<TransactionValidationOptions>
{
    private const int MaxEncodedSizeCeiling = 16 * 1024 * 1024;

    public ValidateOptionsResult Validate(string? name, TransactionValidationOptions options)
    {
        var failures = new List<string>();
        if (options.ChainId == 0)
        {
            failures.Add("Transactions:ChainId must be set (non-zero)");
        }

        if (options.MaxEncodedSize is < 128 or > MaxEncodedSizeCeiling)
        {
            failures.Add($"Transactions:MaxEncodedSize must be between 128 and {MaxEncodedSizeCeiling} bytes, got {options.MaxEncodedSize}");
        }

        if (options.BlockGasLimit < IntrinsicGas.Transaction)
        {
            failures.Add($"Transactions:BlockGasLimit must be at least {IntrinsicGas.Transaction}, got {options.BlockGasLimit}");
        }

        if (options.MinFeePerGasWei == 0)
        {
            failures.Add("Transactions:MinFeePerGasWei must be at least 1 (zero-fee transactions belong to the sponsored lane)");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
