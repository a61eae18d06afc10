using System.Security.Cryptography;
using Nethereum.Signer;
using Primitives.Crypto;

namespace Primitives.Tests.Crypto;

public sealed class Secp256k1SignerTests
{
    private const string KeyHex = "4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318";
    private const string CurveOrderHex = "fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141";

    [Theory]
    // Addresses computed with @noble/curves and js-sha3.
    [InlineData("0000000000000000000000000000000000000000000000000000000000000001", "0x7e5f4552091a69125d5dfcb7b8c2659029395bdf")]
    [InlineData(KeyHex, "0x2c7536e3605d9c16a7a3d7b1898e529396a65c23")]
    public void Address_IsTheEthereumAddressOfTheKey(string keyHex, string address)
    {
        var key = Convert.FromHexString(keyHex);
        using var signer = new Secp256k1Signer(key);

        Assert.Equal(address, signer.Address.ToString());
        Assert.Equal(address, Secp256k1Signer.AddressOf(key).ToString());
    }

    [Fact]
    public void SignThenRecover_GivesTheSignersAddress_ForManyDigests()
    {
        using var signer = new Secp256k1Signer(Convert.FromHexString(KeyHex));
        var parities = new HashSet<byte>();
        for (var i = 0; i < 64; i++)
        {
            var digest = Keccak.Hash(BitConverter.GetBytes(i));
            var signature = signer.Sign(digest);

            Assert.Equal(Secp256k1Signer.SignatureLength, signature.Length);
            Assert.InRange(signature[64], (byte)27, (byte)28);
            parities.Add((byte)(signature[64] - 27));
            Assert.True(Secp256k1Recovery.TryRecover(digest.Bytes, signature.AsSpan(0, 64), (byte)(signature[64] - 27), out var recovered));
            Assert.Equal(signer.Address, recovered);
            Assert.True(Secp256k1Recovery.TryRecover(digest, new Hash32(signature.AsSpan(0, 32)), new Hash32(signature.AsSpan(32, 32)), (byte)(signature[64] - 27), out recovered));
            Assert.Equal(signer.Address, recovered);
        }

        Assert.Equal(2, parities.Count);
    }

    [Fact]
    public void Signatures_AreWhatNethereumRecovers_WithLowS()
    {
        var key = Convert.FromHexString(KeyHex);
        using var signer = new Secp256k1Signer(key);
        var digest = Keccak.Hash("message"u8).ToArray();

        var signature = signer.Sign(digest);
        var nethereum = EthECDSASignatureFactory.FromComponents(signature[..32], signature[32..64], [signature[64]]);

        Assert.Equal(new EthECKey(key, true).GetPublicAddress().ToLowerInvariant(), EthECKey.RecoverFromSignature(nethereum, digest).GetPublicAddress().ToLowerInvariant());
        Assert.True(nethereum.IsLowS);
    }

    [Fact]
    public void SignCompact_WithAKeyOnTheStack_EqualsTheInstanceSigner()
    {
        var key = Convert.FromHexString(KeyHex);
        using var signer = new Secp256k1Signer(key);
        var digest = Keccak.Hash("same"u8);
        Span<byte> compact = stackalloc byte[Secp256k1Signer.CompactLength];

        var recoveryId = Secp256k1Signer.SignCompact(key, digest.Bytes, compact);
        var signature = signer.Sign(digest);

        // RFC 6979 nonces: the same key and digest give the same signature.
        Assert.Equal(signature[..64], compact.ToArray());
        Assert.Equal(signature[64], 27 + recoveryId);
    }

    [Theory]
    [InlineData("")]
    [InlineData("01")]
    [InlineData("0000000000000000000000000000000000000000000000000000000000000000")]
    [InlineData(CurveOrderHex)]
    [InlineData(KeyHex + "00")]
    public void InvalidKey_IsRefusedWithOneMessage(string keyHex)
    {
        var key = Convert.FromHexString(keyHex);

        Assert.False(Secp256k1Curve.IsPrivateKey(key));
        var constructed = Assert.Throws<ArgumentException>(() => new Secp256k1Signer(key));
        var derived = Assert.Throws<ArgumentException>(() => Secp256k1Signer.AddressOf(key));
        Assert.StartsWith("a secp256k1 private key is 32 bytes, non-zero and below the curve order", constructed.Message);
        Assert.Equal(constructed.Message, derived.Message);
    }

    [Fact]
    public void SignCompact_WithAnInvalidKey_FailsWithTheSigningMessage()
    {
        var zero = new byte[32];
        var digest = new byte[32];
        var compact = new byte[64];

        var wrongLength = Assert.Throws<ArgumentException>(() => Secp256k1Signer.SignCompact(zero[..31], digest, compact));
        Assert.StartsWith("a secp256k1 private key is 32 bytes, non-zero and below the curve order", wrongLength.Message);
        var failed = Assert.Throws<CryptographicException>(() => Secp256k1Signer.SignCompact(zero, digest, compact));
        Assert.Equal("secp256k1 signing failed", failed.Message);
    }

    [Fact]
    public void WrongLengths_AreRefused()
    {
        using var signer = new Secp256k1Signer(Convert.FromHexString(KeyHex));

        Assert.Throws<ArgumentException>(() => signer.Sign(new byte[31]));
        Assert.Throws<ArgumentException>(() => signer.Sign(new byte[32], new byte[64]));
        Assert.Throws<ArgumentException>(() => Secp256k1Signer.SignCompact(Convert.FromHexString(KeyHex), new byte[32], new byte[63]));
    }

    [Fact]
    public void Recovery_OfBadInput_IsFalseNotAnException()
    {
        var digest = new byte[32];
        Assert.False(Secp256k1Recovery.TryRecover(digest, new byte[64], 0, out _));
        Assert.False(Secp256k1Recovery.TryRecover(digest, new byte[63], 0, out _));
        Assert.False(Secp256k1Recovery.TryRecover(new byte[31], new byte[64], 0, out _));
        Assert.False(Secp256k1Recovery.TryRecover(digest, new byte[64], 4, out _));
    }

    [Fact]
    public void Recovery_OfAnotherDigest_GivesAnotherAddress()
    {
        using var signer = new Secp256k1Signer(Convert.FromHexString(KeyHex));
        var signature = signer.Sign(Keccak.Hash("signed"u8));

        Assert.True(Secp256k1Recovery.TryRecover(Keccak.Hash("other"u8).Bytes, signature.AsSpan(0, 64), (byte)(signature[64] - 27), out var recovered));
        Assert.NotEqual(signer.Address, recovered);
    }

    [Fact]
    public void ToString_NamesTheAddressOnly()
    {
        using var signer = new Secp256k1Signer(Convert.FromHexString(KeyHex));

        Assert.Equal("Secp256k1Signer(0x2c7536e3605d9c16a7a3d7b1898e529396a65c23)", signer.ToString());
        Assert.DoesNotContain(KeyHex, signer.ToString(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void SigningFromManyThreads_AllRecover()
    {
        using var signer = new Secp256k1Signer(Convert.FromHexString(KeyHex));
        var ok = new bool[200];

        Parallel.For(0, ok.Length, i =>
        {
            var digest = Keccak.Hash(BitConverter.GetBytes(i));
            var signature = signer.Sign(digest);
            ok[i] = Secp256k1Recovery.TryRecover(digest.Bytes, signature.AsSpan(0, 64), (byte)(signature[64] - 27), out var recovered)
                && recovered == signer.Address;
        });

        Assert.All(ok, Assert.True);
    }
}
