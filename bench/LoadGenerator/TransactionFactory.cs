using System.Numerics;
using System.Text;
using Nethereum.Model;
using Nethereum.Signer;
using Nethereum.Util;
using Secp256k1Net;

namespace LoadGenerator;

/// <summary>
/// Pre-signs every transaction before the clock starts, so signing never shows up in the measured
/// rate. Nethereum (a client library the sequencer does not use) encodes and hashes each
/// transaction; libsecp256k1 (Secp256k1.Net) signs the hash, because Nethereum's managed signer
/// took over ten minutes for one full run's 130,000 transactions on two cores.
/// </summary>
internal static class TransactionFactory
{
    private const string Recipient = "0x000000000000000000000000000000000000dEaD";

    public static EthECKey[] Senders(int count, int seed)
    {
        var keys = new EthECKey[count];
        for (var i = 0; i < count; i++)
        {
            var material = System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes($"load-generator/{seed}/{i}"));
            keys[i] = new EthECKey(material, true);
        }

        return keys;
    }

    /// <summary>Request bodies per sender, in nonce order: bodies[sender][k] has nonce firstNonce[sender] + k.</summary>
    public static byte[][][] SignAll(EthECKey[] senders, ulong[] firstNonce, int perSender, ulong chainId, string method)
    {
        var bodies = new byte[senders.Length][][];
        Parallel.For(0, senders.Length, () => new Secp256k1(), (s, _, secp) =>
        {
            // Nethereum drops leading zero bytes of the key; libsecp256k1 wants all 32.
            var stripped = senders[s].GetPrivateKeyAsBytes();
            var key = new byte[32];
            stripped.CopyTo(key, 32 - stripped.Length);
            var own = new byte[perSender][];
            Span<byte> recoverable = stackalloc byte[65];
            Span<byte> compact = stackalloc byte[64];
            for (var k = 0; k < perSender; k++)
            {
                var tx = new Transaction1559(chainId, firstNonce[s] + (ulong)k, 1_000_000_000, 100_000_000_000, 21_000, Recipient, BigInteger.One, string.Empty, []);
                var digest = Sha3Keccack.Current.CalculateHash(tx.GetRLPEncodedRaw());
                if (!secp.EcdsaSignRecoverable(recoverable, digest, key)
                    || !secp.EcdsaRecoverableSignatureSerializeCompact(compact, out var recoveryId, recoverable))
                {
                    throw new InvalidOperationException("libsecp256k1 could not sign");
                }

                tx.SetSignature(new Signature(compact[..32].ToArray(), compact[32..].ToArray(), recoveryId == 0 ? [] : [(byte)recoveryId]));
                own[k] = Encoding.ASCII.GetBytes($"{{\"jsonrpc\":\"2.0\",\"id\":{k},\"method\":\"{method}\",\"params\":[\"0x{Convert.ToHexStringLower(tx.GetRLPEncoded())}\"]}}");
            }

            bodies[s] = own;
            return secp;
        }, secp => secp.Dispose());
        return bodies;
    }
}
