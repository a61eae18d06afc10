using Primitives;

namespace DaClient;

/// <summary>
/// What goes on L1 for one batch: a kind byte followed by a kind-specific body.
/// <see cref="ToBytes"/> and <see cref="Parse"/> are exact inverses.
/// </summary>
public sealed class DaCommitment : IEquatable<DaCommitment>
{
    /// <summary>Length of the body of <see cref="DaCommitmentKind.Local"/> and <see cref="DaCommitmentKind.L1Calldata"/> commitments.</summary>
    public const int HashLength = 32;

    private readonly byte[] _body;

    public DaCommitment(DaCommitmentKind kind, ReadOnlySpan<byte> body)
    {
        Validate(kind, body);
        Kind = kind;
        _body = body.ToArray();
    }

    public DaCommitmentKind Kind { get; }

    /// <summary>The bytes after the kind byte.</summary>
    public ReadOnlyMemory<byte> Body => _body;

    /// <summary>Commitment for a batch posted as L1 calldata when DA is unavailable.</summary>
    public static DaCommitment ForCalldata(ReadOnlySpan<byte> batch) => new(DaCommitmentKind.L1Calldata, Keccak256(batch));

    /// <summary>The bytes for the inbox contract's <c>daCommitment</c> argument.</summary>
    public byte[] ToBytes()
    {
        var bytes = new byte[1 + _body.Length];
        bytes[0] = (byte)Kind;
        _body.CopyTo(bytes, 1);
        return bytes;
    }

    /// <summary>Reads commitment bytes from L1; throws <see cref="DaCommitmentFormatException"/> on anything malformed.</summary>
    public static DaCommitment Parse(ReadOnlySpan<byte> bytes)
    {
        if (bytes.IsEmpty)
        {
            throw new DaCommitmentFormatException("DA commitment is empty; expected at least the kind byte");
        }

        var kind = (DaCommitmentKind)bytes[0];
        if (!Enum.IsDefined(kind))
        {
            throw new DaCommitmentFormatException($"unknown DA commitment kind 0x{bytes[0]:x2}");
        }

        return new DaCommitment(kind, bytes[1..]);
    }

    /// <summary>keccak256 of <paramref name="data"/>; the content address of local and calldata batches.</summary>
    public static byte[] Keccak256(ReadOnlySpan<byte> data) => Keccak.Hash(data).ToArray();

    private static void Validate(DaCommitmentKind kind, ReadOnlySpan<byte> body)
    {
        switch (kind)
        {
            case DaCommitmentKind.Local or DaCommitmentKind.L1Calldata when body.Length != HashLength:
                throw new DaCommitmentFormatException($"{kind} commitment body must be {HashLength} bytes, got {body.Length}");
            case DaCommitmentKind.EigenDaProxy when body.Length < 2:
                throw new DaCommitmentFormatException("eigenda-proxy commitment body must hold the mode byte and at least one commitment byte");
            case DaCommitmentKind.DisperserCertificate when body.IsEmpty:
                throw new DaCommitmentFormatException("disperser certificate commitment has no certificate");
            case DaCommitmentKind.Local or DaCommitmentKind.L1Calldata or DaCommitmentKind.EigenDaProxy or DaCommitmentKind.DisperserCertificate:
                return;
            default:
                throw new DaCommitmentFormatException($"unknown DA commitment kind 0x{(byte)kind:x2}");
        }
    }

    public bool Equals(DaCommitment? other) =>
        other is not null && other.Kind == Kind && other._body.AsSpan().SequenceEqual(_body);

    public override bool Equals(object? obj) => Equals(obj as DaCommitment);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(Kind);
        hash.AddBytes(_body);
        return hash.ToHashCode();
    }

    public override string ToString() => $"{Kind}:0x{Convert.ToHexStringLower(_body)}";
}
