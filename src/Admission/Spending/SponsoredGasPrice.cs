namespace Admission.Spending;

/// <summary>
/// What a sponsored transaction's gas costs the operator, for wei budgets (docs/admission.md "Budgets in wei"): the
/// price per gas the sequencer charges (its minimum fee, the <c>baseFeePerGas</c> its blocks report), and whether an
/// execution node reports receipts (then reservations of gasLimit × price are settled at gasUsed × price; without one
/// the gas limit stays the charge). Registered by the host; the default (price 0) counts no wei.
/// </summary>
public sealed record SponsoredGasPrice(UInt128 PriceWei, bool SettledOnExecution)
{
    public static SponsoredGasPrice None { get; } = new(UInt128.Zero, false);

    /// <summary>The usage reply's <c>basis</c>: what a transaction is charged for.</summary>
    public string Basis => SettledOnExecution ? "gasUsed" : "gasLimit";

    /// <summary>The usage reply's words for <see cref="Basis"/>.</summary>
    public string BasisNote => SettledOnExecution
        ? "charged gasUsed × price once the execution node reports the receipt; gasLimit × price is held until then"
        : "no execution node: each transaction is charged its gas limit × price (gas used is not known)";
}
