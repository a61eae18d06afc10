using System.Buffers.Binary;

namespace Batcher.Format;

/// <summary>Reads big-endian fields off a span with bounds checks that name the section being read.</summary>
internal ref struct SpanCursor(ReadOnlySpan<byte> data, string section)
{
    private readonly ReadOnlySpan<byte> _data = data;
    private int _position;

    public readonly bool AtEnd => _position == _data.Length;

    public ReadOnlySpan<byte> Take(int count)
    {
        if (count < 0 || count > _data.Length - _position)
        {
            throw new BatchFormatException($"{section}: needs {count} bytes at offset {_position} but only {_data.Length - _position} remain");
        }

        var slice = _data.Slice(_position, count);
        _position += count;
        return slice;
    }

    public byte ReadByte() => Take(1)[0];

    public uint ReadUInt32() => BinaryPrimitives.ReadUInt32BigEndian(Take(4));

    public ulong ReadUInt64() => BinaryPrimitives.ReadUInt64BigEndian(Take(8));

    /// <summary>A length-prefixed big-endian integer of at most 32 bytes.</summary>
    public ReadOnlySpan<byte> ReadScalar()
    {
        var length = ReadByte();
        if (length > 32)
        {
            throw new BatchFormatException($"{section}: scalar of {length} bytes at offset {_position - 1}; at most 32 allowed");
        }

        return Take(length);
    }

    public ReadOnlySpan<byte> ReadSized()
    {
        var length = ReadUInt32();
        if (length > int.MaxValue)
        {
            throw new BatchFormatException($"{section}: length {length} at offset {_position - 4} is too large");
        }

        return Take((int)length);
    }

    public readonly void ExpectEnd()
    {
        if (!AtEnd)
        {
            throw new BatchFormatException($"{section}: {_data.Length - _position} bytes left over after the last entry");
        }
    }
}
