using Primitives;
using Primitives.Crypto;

namespace Sequencer.Sequencing;

/// <summary>The sequencer's signing key. Holds the secret; never prints it.</summary>
internal sealed class SequencerKey
{
    private readonly byte[] _secret;

    public SequencerKey(ReadOnlySpan<byte> secret32)
    {
        if (!Secp256k1Curve.IsPrivateKey(secret32))
        {
            throw new ArgumentException("the sequencer key is not a valid secp256k1 private key");
        }

        _secret = secret32.ToArray();
        Address = Secp256k1Signer.AddressOf(_secret);
    }

    public Address Address { get; }

    /// <summary>Signs a 32-byte digest: 65 bytes r ‖ s ‖ v with v = 27 + recovery id, s in the lower half (libsecp256k1 normalizes).</summary>
    public byte[] Sign(ReadOnlySpan<byte> digest32)
    {
        var signature = new byte[Secp256k1Signer.SignatureLength];
        signature[64] = (byte)(27 + Secp256k1Signer.SignCompact(_secret, digest32, signature));
        return signature;
    }

    public static SequencerKey Generate() => new(Secp256k1Signer.GeneratePrivateKey());

    /// <summary>Hex of the secret, only for writing the dev key file.</summary>
    public string ExportSecretHex() => Convert.ToHexStringLower(_secret);

    public override string ToString() => $"SequencerKey({Address})";
}
