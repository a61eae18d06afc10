using System.Numerics;
using Nethereum.Hex.HexConvertors.Extensions;
using Nethereum.Model;

namespace Sequencer.Tests.Infrastructure;

/// <summary>Re-signs a valid EIP-1559 transaction with a doctored signature, to test how bad signatures are refused.</summary>
public static class TransactionForgery
{
    /// <summary>secp256k1 group order n.</summary>
    public static readonly BigInteger CurveOrder = BigInteger.Parse("115792089237316195423570985008687907852837564279074904382605163141518161494337");

    /// <summary>The same transaction with s replaced by n - s and the parity flipped: still valid ECDSA, but high-s (EIP-2).</summary>
    public static string WithHighS(string raw) => Rewrite(raw, (r, s, v) => (r, CurveOrder - s, (byte)(v ^ 1)));

    public static string WithZeroR(string raw) => Rewrite(raw, (_, s, v) => (BigInteger.Zero, s, v));

    private static string Rewrite(string raw, Func<BigInteger, BigInteger, byte, (BigInteger R, BigInteger S, byte V)> change)
    {
        var tx = (Transaction1559)TransactionFactory.CreateTransaction(raw);
        var r = new BigInteger(tx.Signature.R, isUnsigned: true, isBigEndian: true);
        var s = new BigInteger(tx.Signature.S, isUnsigned: true, isBigEndian: true);
        var v = tx.Signature.V.Length == 0 ? (byte)0 : tx.Signature.V[0];
        var (newR, newS, newV) = change(r, s, v);
        var forged = new Transaction1559(tx.ChainId, tx.Nonce!.Value, tx.MaxPriorityFeePerGas!.Value, tx.MaxFeePerGas!.Value,
            tx.GasLimit!.Value, tx.ReceiverAddress, tx.Amount!.Value, tx.Data, tx.AccessList,
            new Signature(Bytes32(newR), Bytes32(newS), newV == 0 ? [] : [newV]));
        return forged.GetRLPEncoded().ToHex(true);
    }

    private static byte[] Bytes32(BigInteger value)
    {
        var bytes = value.ToByteArray(isUnsigned: true, isBigEndian: true);
        return bytes.Length == 32 ? bytes : [.. new byte[32 - bytes.Length], .. bytes];
    }
}
