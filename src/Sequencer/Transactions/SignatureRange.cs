using Primitives;

namespace Sequencer.Transactions;

/// <summary>The range checks Ethereum applies to r and s before recovering a sender.</summary>
internal static class SignatureRange
{
    /// <summary>n, the order of the secp256k1 group.</summary>
    private static ReadOnlySpan<byte> CurveOrder =>
    [
        0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFE,
        0xBA, 0xAE, 0xDC, 0xE6, 0xAF, 0x48, 0xA0, 0x3B, 0xBF, 0xD2, 0x5E, 0x8C, 0xD0, 0x36, 0x41, 0x41,
    ];

    /// <summary>floor(n / 2): EIP-2 makes any s above it invalid (the malleable twin of a low s).</summary>
    private static ReadOnlySpan<byte> HalfCurveOrder =>
    [
        0x7F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
        0x5D, 0x57, 0x6E, 0x73, 0x57, 0xA4, 0x50, 0x1D, 0xDF, 0xE9, 0x2F, 0x46, 0x68, 0x1B, 0x20, 0xA0,
    ];

    /// <summary>None when r and s are usable, else the rejection naming the first problem.</summary>
    public static TxRejection Check(in Hash32 r, in Hash32 s)
    {
        if (r.IsZero)
        {
            return Invalid("invalid signature: r is zero");
        }

        if (r.Bytes.SequenceCompareTo(CurveOrder) >= 0)
        {
            return Invalid("invalid signature: r is not below the secp256k1 curve order");
        }

        if (s.IsZero)
        {
            return Invalid("invalid signature: s is zero");
        }

        if (s.Bytes.SequenceCompareTo(CurveOrder) >= 0)
        {
            return Invalid("invalid signature: s is not below the secp256k1 curve order");
        }

        if (s.Bytes.SequenceCompareTo(HalfCurveOrder) > 0)
        {
            return new TxRejection(
                TxRejectionReason.SignatureHighS,
                "invalid signature: s is in the upper half of the curve order (EIP-2)");
        }

        return TxRejection.None;
    }

    private static TxRejection Invalid(string message) => new(TxRejectionReason.InvalidSignature, message);
}
