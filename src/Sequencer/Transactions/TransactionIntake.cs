using System.Diagnostics.CodeAnalysis;

namespace Sequencer.Transactions;

/// <summary>
/// The front door for raw transactions: size check, decode, validate, recover the sender, in
/// the order that spends the least work on bad input. Stateless and thread-safe, so it runs in
/// parallel on the request threads before the single-writer core.
/// </summary>
public sealed class TransactionIntake(TransactionValidator validator)
{
    public bool TryAccept(
        ReadOnlyMemory<byte> raw,
        TxLane lane,
        [NotNullWhen(true)] out DecodedTransaction? tx,
        out TxRejection rejection)
    {
        tx = null;
        rejection = validator.CheckSize(raw.Length);
        if (rejection.IsRejected || !TransactionDecoder.TryDecode(raw, out var decoded, out rejection))
        {
            return false;
        }

        rejection = validator.Validate(decoded, lane);
        if (rejection.IsRejected)
        {
            return false;
        }

        tx = decoded;
        return true;
    }
}
