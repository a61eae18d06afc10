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
        return Of(tx.Data.Span, tx.IsContractCreation, tx.AccessListAddressCount, tx.AccessListStorageKeyCount);
    }

    /// <summary>The same from the parts that cost gas (for a transaction the sequencer built, which it never decodes).</summary>
    public static ulong Of(ReadOnlySpan<byte> data, bool isContractCreation, int accessListAddresses, int accessListStorageKeys)
    {
        // Vectorised count; data is bounded by the size limit, so none of this can overflow.
        var zeroBytes = (ulong)data.Count((byte)0);
        var nonZeroBytes = (ulong)data.Length - zeroBytes;
        var gas = Transaction + zeroBytes * ZeroDataByte + nonZeroBytes * NonZeroDataByte;
        if (isContractCreation)
        {
            gas += ContractCreation + InitCodeWord * (((ulong)data.Length + 31) / 32);
        }

        return gas
            + (ulong)accessListAddresses * AccessListAddress
            + (ulong)accessListStorageKeys * AccessListStorageKey;
    }
}
