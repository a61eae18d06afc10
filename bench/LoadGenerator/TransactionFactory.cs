using System.Numerics;
using System.Text;
using Nethereum.Model;
using Nethereum.Signer;

namespace LoadGenerator;

/// <summary>
/// Pre-signs every transaction before the clock starts, with Nethereum (a client library the
/// sequencer does not use), so signing never shows up in the measured rate.
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
        Parallel.For(0, senders.Length, s =>
        {
            var signer = new Transaction1559Signer();
            var own = new byte[perSender][];
            for (var k = 0; k < perSender; k++)
            {
                var tx = new Transaction1559(chainId, firstNonce[s] + (ulong)k, 1_000_000_000, 100_000_000_000, 21_000, Recipient, BigInteger.One, string.Empty, []);
                var raw = signer.SignTransaction(senders[s], tx);
                own[k] = Encoding.ASCII.GetBytes($"{{\"jsonrpc\":\"2.0\",\"id\":{k},\"method\":\"{method}\",\"params\":[\"0x{raw}\"]}}");
            }

            bodies[s] = own;
        });
        return bodies;
    }
}
