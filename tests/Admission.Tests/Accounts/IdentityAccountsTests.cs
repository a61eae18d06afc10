using System.Numerics;
using Admission.Accounts;
using Admission.Sponsorship;
using Admission.Tests.Infrastructure;
using Nethereum.Model;
using Nethereum.Signer;

namespace Admission.Tests.Accounts;

public class IdentityAccountsTests
{
    private static readonly MasterSecret Master = new(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());

    [Fact]
    public void SameIdentity_SameAddress_AcrossInstances()
    {
        var alice = Identities.Of("dev", "alice");

        Assert.Equal(new IdentityAccounts(Master).AddressOf(alice), new IdentityAccounts(Master).AddressOf(alice));
    }

    [Fact]
    public void DifferentSubjectIssuerOrSecret_DifferentAddress()
    {
        var accounts = new IdentityAccounts(Master);
        var addresses = new HashSet<string>
        {
            accounts.AddressOf(Identities.Of("dev", "alice")).ToString(),
            accounts.AddressOf(Identities.Of("dev", "bob")).ToString(),
            accounts.AddressOf(Identities.Of("google", "alice")).ToString(),
            new IdentityAccounts(new MasterSecret(new byte[32])).AddressOf(Identities.Of("dev", "alice")).ToString(),
        };

        Assert.Equal(4, addresses.Count);
    }

    [Fact]
    public void IssuerAndSubject_AreSeparated_NotJustConcatenated()
    {
        Span<byte> a = stackalloc byte[32];
        Span<byte> b = stackalloc byte[32];
        IdentityKeyDerivation.DeriveKey(Master, "ab", "c", a);
        IdentityKeyDerivation.DeriveKey(Master, "a", "bc", b);

        Assert.False(a.SequenceEqual(b));
    }

    [Fact]
    public void Derivation_IsHkdfSha256OverIssuerAndSubject()
    {
        // Recomputed here from the documented construction, independently of IdentityKeyDerivation.
        var info = new byte[] { 0, 0, 0, 3 }.Concat("iss"u8.ToArray()).Concat("sub"u8.ToArray()).Append((byte)0).ToArray();
        var expected = System.Security.Cryptography.HKDF.DeriveKey(
            System.Security.Cryptography.HashAlgorithmName.SHA256,
            Enumerable.Range(1, 32).Select(i => (byte)i).ToArray(),
            32,
            "rollup-sequencer/identity-account/v1"u8.ToArray(),
            info);
        var key = new byte[32];

        IdentityKeyDerivation.DeriveKey(Master, "iss", "sub", key);

        Assert.Equal(expected, key);
    }

    [Fact]
    public void SignedTransaction_IsZeroFee1559_FromTheIdentityAccount()
    {
        var accounts = new IdentityAccounts(Master);
        var alice = Identities.Of("dev", "alice");
        var call = new SponsoredCall(Policies.Token, Policies.TransferData(), UInt128.Zero, null);

        var signed = accounts.Sign(alice, call, gas: 90_000, nonce: 7, chainId: 424242);

        Assert.Equal(0x02, signed.Raw[0]);
        var tx = Assert.IsType<Transaction1559>(TransactionFactory.CreateTransaction(Convert.ToHexStringLower(signed.Raw)));
        Assert.Equal(BigInteger.Zero, tx.MaxFeePerGas);
        Assert.Equal(BigInteger.Zero, tx.MaxPriorityFeePerGas);
        Assert.Equal(new BigInteger(7), tx.Nonce);
        Assert.Equal(new BigInteger(90_000), tx.GasLimit);
        Assert.Equal(new BigInteger(424242), tx.ChainId);
        Assert.Equal(Policies.Token, tx.ReceiverAddress, ignoreCase: true);
        Assert.Equal(accounts.AddressOf(alice), signed.From);
        Assert.Equal(signed.From.ToString(), TransactionVerificationAndRecovery.GetSenderAddress(Convert.ToHexStringLower(signed.Raw)), ignoreCase: true);
    }

    [Fact]
    public void Address_IsTheEthereumAddressOfTheDerivedKey()
    {
        var key = new byte[32];
        IdentityKeyDerivation.DeriveKey(Master, "https://dev.example", "alice", key);

        Assert.Equal(new EthECKey(key, true).GetPublicAddress().ToLowerInvariant(), new IdentityAccounts(Master).AddressOf(Identities.Of("dev", "alice")).ToString());
    }

    [Fact]
    public void ManySignatures_AllRecoverToTheAccount()
    {
        // Enough signatures that both y-parities occur (and, likely, an r or s with a leading zero byte).
        var accounts = new IdentityAccounts(Master);
        for (var i = 0; i < 100; i++)
        {
            var identity = Identities.Of("dev", "user" + (i % 7));
            var signed = accounts.Sign(identity, new SponsoredCall(Policies.Token, [(byte)i], UInt128.Zero, null), 50_000, (ulong)i, 424242);

            Assert.Equal(accounts.AddressOf(identity).ToString(), TransactionVerificationAndRecovery.GetSenderAddress(Convert.ToHexStringLower(signed.Raw)), ignoreCase: true);
        }
    }

    [Theory]
    [InlineData(0UL, 21_000UL, "0", "")]
    [InlineData(1UL, 60_000UL, "1", "7f")]
    [InlineData(127UL, 90_000UL, "127", "80")]
    [InlineData(128UL, 100_000UL, "128", "a9059cbb00000000000000000000000000000000000000000000000000000000000000000000000000")]
    [InlineData(65_536UL, 30_000_000UL, "340282366920938463463374607431768211455", "")]
    [InlineData(ulong.MaxValue, ulong.MaxValue, "1000000000000000000", "long")]
    public void SignedBytes_AreWhatNethereumEncodesForTheSameFieldsAndSignature(ulong nonce, ulong gas, string value, string data)
    {
        // The sponsored lane once encoded with Nethereum's Transaction1559; the bytes (and so the tx hashes) must not change.
        var accounts = new IdentityAccounts(Master);
        var bytes = data == "long" ? Enumerable.Range(0, 1_000).Select(i => (byte)i).ToArray() : Convert.FromHexString(data);
        for (var i = 0; i < 20; i++)
        {
            var call = new SponsoredCall(Policies.Token, bytes, UInt128.Parse(value, System.Globalization.CultureInfo.InvariantCulture), null);

            var signed = accounts.Sign(Identities.Of("dev", "user" + i), call, gas, nonce, chainId: 424242);

            var decoded = Assert.IsType<Transaction1559>(TransactionFactory.CreateTransaction(Convert.ToHexStringLower(signed.Raw)));
            var nethereum = new Transaction1559(
                new BigInteger(424242), new BigInteger(nonce), BigInteger.Zero, BigInteger.Zero, new BigInteger(gas), Policies.Token,
                BigInteger.Parse(value, System.Globalization.CultureInfo.InvariantCulture), Convert.ToHexStringLower(bytes), [], new Signature(decoded.Signature.R, decoded.Signature.S, decoded.Signature.V));
            Assert.Equal(nethereum.GetRLPEncoded(), signed.Raw);
            Assert.Equal(Nethereum.Util.Sha3Keccack.Current.CalculateHash(signed.Raw), signed.Hash.Bytes.ToArray());
            Assert.Equal(signed.From.ToString(), TransactionVerificationAndRecovery.GetSenderAddress(Convert.ToHexStringLower(signed.Raw)), ignoreCase: true);
        }
    }

    [Fact]
    public void MasterSecret_NeverShowsItsBytes()
    {
        Assert.DoesNotContain("0102", Master.ToString(), StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new MasterSecret(new byte[16]));
    }
}
