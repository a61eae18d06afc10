using Sequencer.Primitives;
using Secp256k1Net;

namespace Sequencer.Sequencing;

/// <summary>The sequencer's signing key. Holds the secret; never prints it.</summary>
internal sealed class SequencerKey
{
    private readonly byte[] _secret;

    public SequencerKey(ReadOnlySpan<byte> secret32)
    {
        if (secret32.Length != 32 || !Secp256k1.IsValidSecretKey(secret32))
        {
            throw new ArgumentException("the sequencer key is not a valid secp256k1 private key");
        }

        _secret = secret32.ToArray();
        var publicKey = Secp256k1.CreatePublicKey(_secret, compressed: false);
        Address = Address.FromPublicKey(publicKey.AsSpan(1));
    }

    public Address Address { get; }

    /// <summary>Signs a 32-byte digest: 65 bytes r ‖ s ‖ v with v = 27 + recovery id, s in the lower half (libsecp256k1 normalizes).</summary>
    public byte[] Sign(ReadOnlySpan<byte> digest32)
    {
        var (compact, recoveryId) = Secp256k1.SignRecoverable(digest32, _secret);
        var signature = new byte[65];
        compact.CopyTo(signature, 0);
        signature[64] = (byte)(27 + recoveryId);
        return signature;
    }

    public static SequencerKey Generate() => new(Secp256k1.CreateSecretKey());

    /// <summary>Hex of the secret, only for writing the dev key file.</summary>
    public string ExportSecretHex() => Convert.ToHexStringLower(_secret);

    public override string ToString() => $"SequencerKey({Address})";
}
