using Primitives.Crypto;

namespace Sequencer.Transactions;

/// <summary>Recovers a decoded transaction's sender (native libsecp256k1, <see cref="Secp256k1Recovery"/>).</summary>
public static class SenderRecovery
{
    /// <summary>Recovers the sender of <paramref name="tx"/> and records it on the transaction.</summary>
    public static bool TryRecover(DecodedTransaction tx)
    {
        ArgumentNullException.ThrowIfNull(tx);
        if (!Secp256k1Recovery.TryRecover(tx.SigningHash, tx.R, tx.S, tx.YParity, out var sender))
        {
            return false;
        }

        tx.SetSender(sender);
        return true;
    }
}
