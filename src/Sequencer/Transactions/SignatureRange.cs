using Primitives;
using Primitives.Crypto;

namespace Sequencer.Transactions;

/// <summary>The range checks Ethereum applies to r and s before recovering a sender.</summary>
internal static class SignatureRange
{
    /// <summary>None when r and s are usable, else the rejection naming the first problem.</summary>
    public static TxRejection Check(in Hash32 r, in Hash32 s)
    {
        if (r.IsZero)
        {
            return Invalid("invalid signature: r is zero");
        }

        if (r.Bytes.SequenceCompareTo(Secp256k1Curve.Order) >= 0)
        {
            return Invalid("invalid signature: r is not below the secp256k1 curve order");
        }

        if (s.IsZero)
        {
            return Invalid("invalid signature: s is zero");
        }

        if (s.Bytes.SequenceCompareTo(Secp256k1Curve.Order) >= 0)
        {
            return Invalid("invalid signature: s is not below the secp256k1 curve order");
        }

        if (s.Bytes.SequenceCompareTo(Secp256k1Curve.HalfOrder) > 0)
        {
            return new TxRejection(
                TxRejectionReason.SignatureHighS,
                "invalid signature: s is in the upper half of the curve order (EIP-2)");
        }

        return TxRejection.None;
    }

    private static TxRejection Invalid(string message) => new(TxRejectionReason.InvalidSignature, message);
}
