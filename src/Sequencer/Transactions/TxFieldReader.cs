using System.Buffers.Binary;
using System.Numerics;
using Primitives;
using Primitives.Rlp;

namespace Sequencer.Transactions;

/// <summary>
/// Reads the fields of one transaction list with Ethereum's limits (nonce and gas fit 8 bytes,
/// fees 16, value 32, to is empty or 20 bytes, ...) and turns every failure into a
/// <see cref="TxRejection"/>, so the decoder reads as a sequence of fields.
/// </summary>
internal ref struct TxFieldReader(RlpReader fields)
{
    /// <summary>What every RLP error of a transaction starts with (the reader's messages name the field).</summary>
    public const string MessagePrefix = "invalid transaction: RLP ";

    private RlpReader _fields = fields;

    public TxRejection Rejection { get; private set; }

    public readonly int Position => _fields.Position;

    public bool UInt64(string field, out ulong value) => _fields.TryReadUInt64(field, out value) || Malformed();

    /// <summary>A fee per gas: an RLP integer of up to 32 bytes whose value must fit in 128 bits.</summary>
    public bool Fee(string field, out UInt128 value)
    {
        value = UInt128.Zero;
        if (!_fields.TryReadInteger(field, 32, out var bytes, out _))
        {
            return Malformed();
        }

        if (bytes.Length > 16)
        {
            var tooBig = new BigInteger(bytes, isUnsigned: true, isBigEndian: true);
            return Reject(TxRejectionReason.FeeOutOfRange, $"invalid transaction: {field} {tooBig} wei is above the limit 2^128-1");
        }

        Span<byte> padded = stackalloc byte[16];
        padded.Clear();
        bytes.CopyTo(padded[(16 - bytes.Length)..]);
        value = BinaryPrimitives.ReadUInt128BigEndian(padded);
        return true;
    }

    /// <summary>The recipient: empty (contract creation) or exactly 20 bytes.</summary>
    public bool To(out Address? to)
    {
        to = null;
        if (!_fields.TryReadBytes("to", out var bytes, out _))
        {
            return Malformed();
        }

        if (bytes.Length == Address.Length)
        {
            to = new Address(bytes);
            return true;
        }

        return bytes.IsEmpty
            || Reject(TxRejectionReason.MalformedEncoding, $"invalid transaction: RLP to is {bytes.Length} bytes (must be empty for a contract creation, or 20 bytes)");
    }

    /// <summary>An unsigned integer of up to <paramref name="maxBytes"/> bytes, as its range in the buffer.</summary>
    public bool Integer(string field, int maxBytes, out Range range)
    {
        range = default;
        if (!_fields.TryReadInteger(field, maxBytes, out var bytes, out var offset))
        {
            return Malformed();
        }

        range = new Range(offset, offset + bytes.Length);
        return true;
    }

    /// <summary>A 256-bit signature component, left-padded to 32 bytes.</summary>
    public bool Word(string field, out Hash32 word)
    {
        word = default;
        if (!_fields.TryReadInteger(field, 32, out var bytes, out _))
        {
            return Malformed();
        }

        Span<byte> padded = stackalloc byte[32];
        padded.Clear();
        bytes.CopyTo(padded[(32 - bytes.Length)..]);
        word = new Hash32(padded);
        return true;
    }

    public bool Bytes(string field, out Range range)
    {
        range = default;
        if (!_fields.TryReadBytes(field, out var bytes, out var offset))
        {
            return Malformed();
        }

        range = new Range(offset, offset + bytes.Length);
        return true;
    }

    /// <summary>An EIP-2930 access list: [[address, [storageKey, ...]], ...].</summary>
    public bool AccessList(out ReadOnlyMemory<AccessListEntry> accessList, out int storageKeyCount)
    {
        accessList = ReadOnlyMemory<AccessListEntry>.Empty;
        storageKeyCount = 0;
        if (!_fields.TryReadList("accessList", out var entries) || !entries.TryCountItems(out var count))
        {
            return Malformed(entries.Error ?? _fields.Error);
        }

        if (count == 0)
        {
            return true;
        }

        var result = new AccessListEntry[count];
        for (var i = 0; i < count; i++)
        {
            if (!entries.TryReadList("accessList entry", out var entry) || !entry.TryCountItems(out var parts))
            {
                return Malformed(entry.Error ?? entries.Error);
            }

            if (parts != 2)
            {
                return Reject(TxRejectionReason.MalformedEncoding, $"invalid transaction: RLP accessList entry {i} has {parts} items (must be [address, storageKeys])");
            }

            if (!entry.TryReadFixed("accessList address", Address.Length, out var address)
                || !entry.TryReadList("accessList storageKeys", out var keys))
            {
                return Malformed(entry.Error);
            }

            if (!keys.TryCountItems(out var keyCount))
            {
                return Malformed(keys.Error);
            }

            var storageKeys = keyCount == 0 ? [] : new Hash32[keyCount];
            for (var k = 0; k < keyCount; k++)
            {
                if (!keys.TryReadFixed("accessList storage key", Hash32.Length, out var key))
                {
                    return Malformed(keys.Error);
                }

                storageKeys[k] = new Hash32(key);
            }

            result[i] = new AccessListEntry(new Address(address), storageKeys);
            storageKeyCount += keyCount;
        }

        accessList = result;
        return true;
    }

    private bool Malformed() => Malformed(_fields.Error);

    private bool Malformed(string? message) =>
        Reject(TxRejectionReason.MalformedEncoding, message ?? "invalid transaction: RLP is malformed");

    private bool Reject(TxRejectionReason reason, string message)
    {
        Rejection = new TxRejection(reason, message);
        return false;
    }
}
