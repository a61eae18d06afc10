using System.Diagnostics.CodeAnalysis;
using System.Runtime.InteropServices;

namespace Primitives;

/// <summary>A 20-byte Ethereum address as a value type (dictionary key without allocation).</summary>
[StructLayout(LayoutKind.Sequential)]
public readonly struct Address : IEquatable<Address>
{
    public const int Length = 20;

    private readonly ulong _a, _b;
    private readonly uint _c;

    public static readonly Address Zero;

    public Address(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != Length)
        {
            throw new ArgumentException("an address is 20 bytes", nameof(bytes));
        }

        _a = MemoryMarshal.Read<ulong>(bytes);
        _b = MemoryMarshal.Read<ulong>(bytes[8..]);
        _c = MemoryMarshal.Read<uint>(bytes[16..]);
    }

    /// <summary>The 20 bytes, in wire order. The span aliases this value.</summary>
    [UnscopedRef]
    public ReadOnlySpan<byte> Bytes => MemoryMarshal.AsBytes(MemoryMarshal.CreateReadOnlySpan(in _a, 3))[..Length];

    public byte[] ToArray() => Bytes.ToArray();

    public bool Equals(Address other) => _a == other._a && _b == other._b && _c == other._c;

    public override bool Equals(object? obj) => obj is Address a && Equals(a);

    public override int GetHashCode() => (int)_a ^ (int)(_a >> 32) ^ (int)_c;

    public static bool operator ==(Address left, Address right) => left.Equals(right);

    public static bool operator !=(Address left, Address right) => !left.Equals(right);

    /// <summary>Lower-case hex with 0x, as JSON-RPC returns addresses.</summary>
    public override string ToString() => Hex.Encode(Bytes);

    public static bool TryParse(ReadOnlySpan<char> hex, out Address address)
    {
        Span<byte> buffer = stackalloc byte[Length];
        if (Hex.TryDecodeFixed(hex, buffer))
        {
            address = new Address(buffer);
            return true;
        }

        address = default;
        return false;
    }

    /// <summary>The address of an uncompressed secp256k1 public key (64 bytes, no 0x04 prefix).</summary>
    public static Address FromPublicKey(ReadOnlySpan<byte> publicKey64)
    {
        Span<byte> hash = stackalloc byte[32];
        Keccak.HashInto(publicKey64, hash);
        return new Address(hash[12..]);
    }
}
