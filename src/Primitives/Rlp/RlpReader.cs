namespace Primitives.Rlp;

/// <summary>
/// The strict, allocation-free RLP reader of the process, over one buffer.
/// </summary>
/// <remarks>
/// Written by hand rather than taken from Nethereum.RLP for two reasons. Nethereum's decoder
/// materialises an <c>RLPCollection</c> of <c>RLPItem</c> objects with a <c>byte[]</c> copy per
/// item (dozens of allocations per transaction; see IntakeBenchmarks), and it accepts
/// non-canonical encodings that Ethereum clients reject. Every transaction that reaches the
/// sequencer is decoded here and every transaction the batcher splits into columns, so the reader
/// works on spans, keeps absolute offsets (callers slice fields out of the raw bytes instead of
/// copying them) and fails with a message that names the field. Failures return false and leave
/// the reason in <see cref="ErrorKind"/> and the message in <see cref="Error"/>; nothing throws,
/// and nothing is formatted unless something fails.
/// </remarks>
public ref struct RlpReader
{
    /// <summary>What messages start with unless the caller names its context.</summary>
    public const string DefaultMessagePrefix = "RLP ";

    private readonly ReadOnlySpan<byte> _buffer;
    private readonly int _end;
    private readonly string _prefix;
    private int _position;

    /// <summary>A reader over the whole of <paramref name="buffer"/>.</summary>
    public RlpReader(ReadOnlySpan<byte> buffer)
        : this(buffer, 0, buffer.Length)
    {
    }

    /// <param name="buffer">The whole input; offsets are reported relative to it.</param>
    /// <param name="start">Where this reader's items begin.</param>
    /// <param name="end">Where they end (exclusive).</param>
    /// <param name="messagePrefix">Starts every <see cref="Error"/> (the transaction decoder says "invalid transaction: RLP ").</param>
    public RlpReader(ReadOnlySpan<byte> buffer, int start, int end, string messagePrefix = DefaultMessagePrefix)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(start);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(end, buffer.Length);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(start, end);
        _buffer = buffer;
        _position = start;
        _end = end;
        _prefix = messagePrefix;
        Error = null;
        ErrorKind = RlpError.None;
    }

    /// <summary>Why the last call returned false, naming the field.</summary>
    public string? Error { get; private set; }

    /// <summary>The kind of the last failure.</summary>
    public RlpError ErrorKind { get; private set; }

    public readonly int Position => _position;

    public readonly bool IsAtEnd => _position >= _end;

    public readonly int Remaining => _end - _position;

    /// <summary>Reads a list header and returns a reader over the list's items.</summary>
    public bool TryReadList(string field, out RlpReader list)
    {
        list = default;
        if (!TryReadItem(field, out var isList, out var start, out var length))
        {
            return false;
        }

        if (!isList)
        {
            return Fail(RlpError.WrongKind, $"{_prefix}{field} must be a list, found a byte string");
        }

        list = new RlpReader(_buffer, start, start + length, _prefix);
        return true;
    }

    /// <summary>Reads a byte string of any length; <paramref name="offset"/> is its first payload byte.</summary>
    public bool TryReadBytes(string field, out ReadOnlySpan<byte> value, out int offset)
    {
        value = default;
        offset = 0;
        if (!TryReadItem(field, out var isList, out var start, out var length))
        {
            return false;
        }

        if (isList)
        {
            return Fail(RlpError.WrongKind, $"{_prefix}{field} must be a byte string, found a list");
        }

        offset = start;
        value = _buffer.Slice(start, length);
        return true;
    }

    /// <summary>Reads a byte string that must be exactly <paramref name="length"/> bytes.</summary>
    public bool TryReadFixed(string field, int length, out ReadOnlySpan<byte> value)
    {
        if (!TryReadBytes(field, out value, out _))
        {
            return false;
        }

        return value.Length == length || Fail(RlpError.WrongLength, $"{_prefix}{field} is {value.Length} bytes (must be {length})");
    }

    /// <summary>
    /// Reads an unsigned integer: big-endian, no leading zero bytes, zero as the empty string,
    /// at most <paramref name="maxBytes"/> bytes. The value is returned in its minimal form.
    /// </summary>
    public bool TryReadInteger(string field, int maxBytes, out ReadOnlySpan<byte> value, out int offset)
    {
        if (!TryReadBytes(field, out value, out offset))
        {
            return false;
        }

        if (value.Length > maxBytes)
        {
            return Fail(RlpError.IntegerTooLong, $"{_prefix}{field} is {value.Length} bytes long (at most {maxBytes} allowed)");
        }

        return value.IsEmpty || value[0] != 0
            || Fail(RlpError.NonCanonical, $"{_prefix}{field} has leading zero bytes (non-canonical integer)");
    }

    public bool TryReadUInt64(string field, out ulong value)
    {
        value = 0;
        if (!TryReadInteger(field, sizeof(ulong), out var bytes, out _))
        {
            return false;
        }

        foreach (var b in bytes)
        {
            value = (value << 8) | b;
        }

        return true;
    }

    /// <summary>
    /// Counts the items left in this reader without consuming them. Only the structure is checked
    /// here (every item fits in the list); canonical form is checked when each field is read, so
    /// that the message can name the field.
    /// </summary>
    public bool TryCountItems(out int count)
    {
        count = 0;
        var probe = this;
        while (!probe.IsAtEnd)
        {
            if (!probe.TryReadHeader("item", out _, out _, out _, strict: false))
            {
                Error = probe.Error;
                ErrorKind = probe.ErrorKind;
                return false;
            }

            count++;
        }

        return true;
    }

    /// <summary>
    /// Reads one item of either kind in canonical form and moves past it: the payload is
    /// <c>[payloadStart, payloadStart + payloadLength)</c> of the buffer (for a single byte below
    /// 0x80, the byte itself).
    /// </summary>
    public bool TryReadItem(string field, out bool isList, out int payloadStart, out int payloadLength) =>
        TryReadHeader(field, out isList, out payloadStart, out payloadLength, strict: true);

    private bool TryReadHeader(string field, out bool isList, out int payloadStart, out int payloadLength, bool strict)
    {
        isList = false;
        payloadStart = 0;
        payloadLength = 0;
        var offset = _position;
        if (offset >= _end)
        {
            return Fail(RlpError.Missing, $"{_prefix}{field} is missing: the list ends at offset {offset}");
        }

        var prefix = _buffer[offset];
        if (prefix < 0x80)
        {
            payloadStart = offset;
            payloadLength = 1;
            _position = offset + 1;
            return true;
        }

        isList = prefix >= 0xc0;
        var shortBase = isList ? 0xc0 : 0x80;
        var shortLimit = isList ? 0xf7 : 0xb7;
        long length;
        int headerLength;
        if (prefix <= shortLimit)
        {
            length = prefix - shortBase;
            headerLength = 1;
        }
        else
        {
            var lengthOfLength = prefix - shortLimit;
            headerLength = 1 + lengthOfLength;
            if (offset + headerLength > _end)
            {
                return Fail(RlpError.Truncated, $"{_prefix}{field} at offset {offset} has a truncated length ({lengthOfLength} length bytes, {_end - offset - 1} left)");
            }

            var lengthBytes = _buffer.Slice(offset + 1, lengthOfLength);
            if (strict && lengthBytes[0] == 0)
            {
                return Fail(RlpError.NonCanonical, $"{_prefix}{field} has a length with leading zero bytes (non-canonical)");
            }

            // More than 4 length bytes cannot describe anything that fits in memory.
            length = 0;
            foreach (var b in lengthBytes)
            {
                length = (length << 8) | b;
                if (length > int.MaxValue)
                {
                    return Fail(RlpError.Truncated, $"{_prefix}{field} at offset {offset} claims more bytes than the input holds");
                }
            }

            if (strict && length < 56)
            {
                return Fail(RlpError.NonCanonical, $"{_prefix}{field} uses the long length form for {length} bytes (non-canonical)");
            }
        }

        var remaining = _end - offset - headerLength;
        if (length > remaining)
        {
            return Fail(RlpError.Truncated, $"{_prefix}{field} at offset {offset} claims {length} bytes but only {remaining} remain");
        }

        payloadStart = offset + headerLength;
        payloadLength = (int)length;
        if (strict && !isList && length == 1 && _buffer[payloadStart] < 0x80)
        {
            return Fail(RlpError.NonCanonical, $"{_prefix}{field} encodes a single byte below 0x80 as a string (non-canonical)");
        }

        _position = payloadStart + payloadLength;
        return true;
    }

    private bool Fail(RlpError kind, string message)
    {
        ErrorKind = kind;
        Error = message;
        return false;
    }
}
