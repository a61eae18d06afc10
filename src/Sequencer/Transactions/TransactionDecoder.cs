using System.Diagnostics.CodeAnalysis;
using Primitives;
using Primitives.Rlp;

namespace Sequencer.Transactions;

/// <summary>
/// Decodes EIP-2718 transaction envelopes: legacy with EIP-155 replay protection, EIP-2930
/// (type 0x01) and EIP-1559 (type 0x02). Everything else is rejected with a message that says
/// what was wrong. Decoding checks structure only; chain id, fees, gas and the signature's
/// values are checked by <see cref="TransactionValidator"/>.
/// </summary>
public static class TransactionDecoder
{
    private const int LegacyFieldCount = 9;
    private const int AccessListFieldCount = 11;
    private const int DynamicFeeFieldCount = 12;

    /// <summary>Decodes <paramref name="raw"/>; the result keeps slices of it (no copy).</summary>
    public static bool TryDecode(ReadOnlyMemory<byte> raw, [NotNullWhen(true)] out DecodedTransaction? tx, out TxRejection rejection)
    {
        tx = null;
        var span = raw.Span;
        if (span.IsEmpty)
        {
            rejection = Malformed("invalid transaction: empty input");
            return false;
        }

        var first = span[0];
        if (first >= 0xc0)
        {
            return TryDecodeLegacy(raw, out tx, out rejection);
        }

        if (first is (byte)TxType.AccessList or (byte)TxType.DynamicFee)
        {
            return TryDecodeTyped(raw, (TxType)first, out tx, out rejection);
        }

        rejection = first >= 0x80
            ? Malformed($"invalid transaction: first byte 0x{first:x2} is neither a transaction type (0x00-0x7f) nor an RLP list")
            : new TxRejection(
                TxRejectionReason.UnsupportedType,
                $"transaction type not supported: 0x{first:x2} (only legacy, 0x01 and 0x02 are accepted)");
        return false;
    }

    private static bool TryDecodeLegacy(ReadOnlyMemory<byte> raw, out DecodedTransaction? tx, out TxRejection rejection)
    {
        tx = null;
        var span = raw.Span;
        if (!TryOpenFieldList(span, TxType.Legacy, out var list, out rejection))
        {
            return false;
        }

        var fields = new TxFieldReader(list);
        var firstField = fields.Position;
        if (!fields.UInt64("nonce", out var nonce)
            || !fields.Fee("gasPrice", out var gasPrice)
            || !fields.UInt64("gas", out var gas)
            || !fields.To(out var to)
            || !fields.Integer("value", 32, out var value)
            || !fields.Bytes("input", out var data))
        {
            rejection = fields.Rejection;
            return false;
        }

        var unsignedEnd = fields.Position;
        if (!fields.UInt64("v", out var v) || !fields.Word("r", out var r) || !fields.Word("s", out var s))
        {
            rejection = fields.Rejection;
            return false;
        }

        if (v is 27 or 28)
        {
            rejection = new TxRejection(
                TxRejectionReason.MissingChainId,
                "legacy transaction without chain id (pre-EIP-155) is not accepted");
            return false;
        }

        if (v < 35)
        {
            rejection = new TxRejection(
                TxRejectionReason.InvalidSignature,
                $"invalid signature: v = {v} is not valid for a legacy transaction (expected chainId*2+35 or chainId*2+36)");
            return false;
        }

        var chainId = (v - 35) / 2;
        tx = new DecodedTransaction
        {
            Raw = raw,
            Hash = Keccak.Hash(span),
            Type = TxType.Legacy,
            ChainId = chainId,
            Nonce = nonce,
            GasLimit = gas,
            GasPrice = gasPrice,
            MaxFeePerGas = gasPrice,
            MaxPriorityFeePerGas = gasPrice,
            To = to,
            ValueBytes = raw[value],
            Data = raw[data],
            AccessList = ReadOnlyMemory<AccessListEntry>.Empty,
            AccessListStorageKeyCount = 0,
            V = v,
            YParity = (byte)((v - 35) & 1),
            R = r,
            S = s,
            SigningHash = SigningHash.ForLegacy(span[firstField..unsignedEnd], chainId),
        };
        return true;
    }

    private static bool TryDecodeTyped(ReadOnlyMemory<byte> raw, TxType type, out DecodedTransaction? tx, out TxRejection rejection)
    {
        tx = null;
        var span = raw.Span;
        if (!TryOpenFieldList(span, type, out var list, out rejection))
        {
            return false;
        }

        var fields = new TxFieldReader(list);
        var firstField = fields.Position;
        UInt128 maxPriorityFee = default, maxFee = default;
        if (!fields.UInt64("chainId", out var chainId)
            || !fields.UInt64("nonce", out var nonce)
            || (type == TxType.DynamicFee
                ? !fields.Fee("maxPriorityFeePerGas", out maxPriorityFee) || !fields.Fee("maxFeePerGas", out maxFee)
                : !fields.Fee("gasPrice", out maxFee))
            || !fields.UInt64("gas", out var gas)
            || !fields.To(out var to)
            || !fields.Integer("value", 32, out var value)
            || !fields.Bytes("input", out var data)
            || !fields.AccessList(out var accessList, out var storageKeyCount))
        {
            rejection = fields.Rejection;
            return false;
        }

        var unsignedEnd = fields.Position;
        if (!fields.UInt64("yParity", out var yParity) || !fields.Word("r", out var r) || !fields.Word("s", out var s))
        {
            rejection = fields.Rejection;
            return false;
        }

        if (yParity > 1)
        {
            rejection = new TxRejection(TxRejectionReason.InvalidSignature, $"invalid signature: yParity must be 0 or 1, got {yParity}");
            return false;
        }

        if (type == TxType.AccessList)
        {
            maxPriorityFee = maxFee;
        }

        tx = new DecodedTransaction
        {
            Raw = raw,
            Hash = Keccak.Hash(span),
            Type = type,
            ChainId = chainId,
            Nonce = nonce,
            GasLimit = gas,
            GasPrice = maxFee,
            MaxFeePerGas = maxFee,
            MaxPriorityFeePerGas = maxPriorityFee,
            To = to,
            ValueBytes = raw[value],
            Data = raw[data],
            AccessList = accessList,
            AccessListStorageKeyCount = storageKeyCount,
            V = yParity,
            YParity = (byte)yParity,
            R = r,
            S = s,
            SigningHash = SigningHash.ForTyped(type, span[firstField..unsignedEnd]),
        };
        return true;
    }

    /// <summary>
    /// Reads the one RLP list that must make up the rest of the input (after the type byte for
    /// typed transactions) and checks its field count before any field is read, so that a payload
    /// of the wrong type gets "wrong field count" rather than a confusing per-field message.
    /// </summary>
    private static bool TryOpenFieldList(ReadOnlySpan<byte> span, TxType type, out RlpReader fields, out TxRejection rejection)
    {
        var outer = new RlpReader(span, type == TxType.Legacy ? 0 : 1, span.Length, TxFieldReader.MessagePrefix);
        if (!outer.TryReadList("transaction", out fields))
        {
            rejection = Malformed(outer.Error);
            return false;
        }

        if (!outer.IsAtEnd)
        {
            rejection = Malformed($"invalid transaction: RLP has {outer.Remaining} trailing bytes after the transaction");
            return false;
        }

        if (!fields.TryCountItems(out var count))
        {
            rejection = Malformed(fields.Error);
            return false;
        }

        var (expected, name) = type switch
        {
            TxType.Legacy => (LegacyFieldCount, "a legacy"),
            TxType.AccessList => (AccessListFieldCount, "a type 0x01 (EIP-2930)"),
            _ => (DynamicFeeFieldCount, "a type 0x02 (EIP-1559)"),
        };
        if (count != expected)
        {
            rejection = Malformed($"invalid transaction: RLP list has {count} fields, {name} transaction has {expected}");
            return false;
        }

        rejection = TxRejection.None;
        return true;
    }

    private static TxRejection Malformed(string? message) =>
        new(TxRejectionReason.MalformedEncoding, message ?? "invalid transaction: RLP is malformed");
}
