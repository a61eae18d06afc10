namespace Sequencer.Transactions;

/// <summary>
/// The gas a transaction costs before any code runs (Yellow Paper g0 with EIP-2028 calldata
/// prices, EIP-2930 access lists and EIP-3860 init code words). A gas limit below it can
/// never execute, so such a transaction is refused at the door.
/// </summary>
public static class IntrinsicGas
{
    public const ulong Transaction = 21_000;
    public const ulong ContractCreation = 32_000;
    public const ulong ZeroDataByte = 4;
    public const ulong NonZeroDataByte = 16;
    public const ulong InitCodeWord = 2;
    public const ulong AccessListAddress = 2_400;
    public const ulong AccessListStorageKey = 1_900;

    public static ulong Of(DecodedTransaction tx)
    {
        ArgumentNullException.ThrowIfNull(tx);
        var data = tx.Data.Span;

        // Vectorised count; data is bounded by the size limit, so none of this can overflow.
        var zeroBytes = (ulong)data.Count((byte)0);
        var nonZeroBytes = (ulong)data.Length - zeroBytes;
        var gas = Transaction + zeroBytes * ZeroDataByte + nonZeroBytes * NonZeroDataByte;
        if (tx.IsContractCreation)
        {
            gas += ContractCreation + InitCodeWord * (((ulong)data.Length + 31) / 32);
        }

        return gas
            + (ulong)tx.AccessListAddressCount * AccessListAddress
            + (ulong)tx.AccessListStorageKeyCount * AccessListStorageKey;
    }
}
