using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.InteropServices;

namespace Primitives;

/// <summary>
/// A 32-byte hash held in four machine words, so it can be a dictionary key and be compared
/// without touching the heap. Byte order is the wire order (big-endian).
/// </summary>
[StructLayout(LayoutKind.Sequential)]
public readonly struct Hash32 : IEquatable<Hash32>
{
    public const int Length = 32;

    private readonly ulong _a, _b, _c, _d;

    public static readonly Hash32 Zero;

    public Hash32(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != Length)
        {
            throw new ArgumentException("a hash is 32 bytes", nameof(bytes));
        }

        this = MemoryMarshal.Read<Hash32>(bytes);
    }

    /// <summary>The 32 bytes, in wire order. The span aliases this value.</summary>
    [UnscopedRef]
    public ReadOnlySpan<byte> Bytes => MemoryMarshal.AsBytes(MemoryMarshal.CreateReadOnlySpan(in _a, 4));

    public bool IsZero => (_a | _b | _c | _d) == 0;

    public byte[] ToArray() => Bytes.ToArray();

    public void CopyTo(Span<byte> destination) => Bytes.CopyTo(destination);

    public bool Equals(Hash32 other) => _a == other._a && _b == other._b && _c == other._c && _d == other._d;

    public override bool Equals(object? obj) => obj is Hash32 h && Equals(h);

    // The bytes are already uniformly distributed: one word is a good hash code.
    public override int GetHashCode() => (int)_a ^ (int)(_a >> 32);

    public static bool operator ==(Hash32 left, Hash32 right) => left.Equals(right);

    public static bool operator !=(Hash32 left, Hash32 right) => !left.Equals(right);

    public override string ToString() => Hex.Encode(Bytes);

    public static bool TryParse(ReadOnlySpan<char> hex, out Hash32 hash)
    {
        Span<byte> buffer = stackalloc byte[Length];
        if (Hex.TryDecodeFixed(hex, buffer))
        {
            hash = new Hash32(buffer);
            return true;
        }

        hash = default;
        return false;
    }

    /// <summary>A hash whose last 8 bytes hold <paramref name="value"/> big-endian (test and genesis helper).</summary>
    public static Hash32 FromUInt64(ulong value)
    {
        Span<byte> buffer = stackalloc byte[Length];
        buffer.Clear();
        BinaryPrimitives.WriteUInt64BigEndian(buffer[24..], value);
        return new Hash32(buffer);
    }
}
