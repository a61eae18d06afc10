using System.Numerics;
using Nethereum.Hex.HexConvertors.Extensions;
using Nethereum.Model;
using Nethereum.Signer;
using Primitives.Chain;

namespace Batcher.Benchmarks;

/// <summary>
/// A realistic L2 transaction mix, signed with Nethereum: many senders with running nonces,
/// ETH transfers, ERC-20 <c>transfer</c> calls to a few popular tokens, and some larger
/// contract calls, with fee and gas values as wallets set them. Deterministic per seed.
/// </summary>
public static class TransactionMix
{
    public const ulong ChainId = 424242;

    public static IReadOnlyList<SealedBlock> Blocks(int transactionCount, int transactionsPerBlock = 50, int seed = 1)
    {
        var random = new Random(seed);
        var senders = Enumerable.Range(0, 2000).Select(i => new EthECKey(Key(seed, i))).ToArray();
        var nonces = senders.Select(_ => (ulong)random.Next(0, 3000)).ToArray();
        var tokens = Enumerable.Range(0, 24).Select(i => Address(random)).ToArray();
        var recipients = Enumerable.Range(0, 6000).Select(i => Address(random)).ToArray();
        var routers = Enumerable.Range(0, 6).Select(i => Address(random)).ToArray();
        var priorityFees = new BigInteger[] { 1_000_000, 10_000_000, 100_000_000, 1_000_000_000, 1_500_000_000, 2_000_000_000 };
        var blocks = new List<SealedBlock>();
        var pending = new List<ReadOnlyMemory<byte>>();
        var signer = new Transaction1559Signer();
        ulong number = 1, sequence = 0;
        for (var n = 0; n < transactionCount; n++)
        {
            // Popular senders and recipients send far more often than the tail (Zipf-like).
            var senderIndex = Skewed(random, senders.Length);
            var nonce = nonces[senderIndex]++;
            var baseFee = new BigInteger(50_000_000 + random.Next(0, 20_000_000));
            var priority = priorityFees[random.Next(priorityFees.Length)];
            var maxFee = baseFee * 2 + priority;
            var kind = random.Next(100);
            Transaction1559 tx;
            if (kind < 55)
            {
                var token = tokens[Skewed(random, tokens.Length)];
                var amount = new BigInteger(random.Next(1, 100_000)) * BigInteger.Pow(10, random.Next(6, 19));
                var data = "a9059cbb" + Word(recipients[Skewed(random, recipients.Length)]) + amount.ToString("x64").TrimStart('0').PadLeft(64, '0');
                tx = new Transaction1559(ChainId, nonce, priority, maxFee, 45_000 + random.Next(0, 25_000), token, 0, data, new List<AccessListItem>());
            }
            else if (kind < 90)
            {
                var value = new BigInteger(random.Next(1, 5000)) * BigInteger.Pow(10, random.Next(13, 17));
                tx = new Transaction1559(ChainId, nonce, priority, maxFee, 21_000, recipients[Skewed(random, recipients.Length)], value, "", new List<AccessListItem>());
            }
            else
            {
                // A router call: selector, amounts, a path of token addresses, a recipient, a deadline.
                var data = "38ed1739" + Word(random.NextInt64()) + Word(random.NextInt64()) + Word(160) + Word(recipients[Skewed(random, recipients.Length)])
                    + Word(1_800_000_000 + random.Next(0, 1000)) + Word(2) + Word(tokens[Skewed(random, tokens.Length)]) + Word(tokens[Skewed(random, tokens.Length)]);
                tx = new Transaction1559(ChainId, nonce, priority, maxFee, 120_000 + random.Next(0, 150_000), routers[random.Next(routers.Length)], 0, data, new List<AccessListItem>());
            }

            pending.Add(signer.SignTransaction(senders[senderIndex], tx).HexToByteArray());
            if (pending.Count == transactionsPerBlock || n == transactionCount - 1)
            {
                blocks.Add(new SealedBlock(number, 1_760_000_000 + number / 5, new byte[32], new byte[32], sequence, new byte[32], pending.ToArray()));
                sequence += (ulong)pending.Count;
                number++;
                pending.Clear();
            }
        }

        return blocks;
    }

    private static int Skewed(Random random, int count) => (int)(count * Math.Pow(random.NextDouble(), 3));

    private static string Key(int seed, int index) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(BitConverter.GetBytes(seed * 100_003 + index)));

    private static string Address(Random random)
    {
        var bytes = new byte[20];
        random.NextBytes(bytes);
        return "0x" + Convert.ToHexStringLower(bytes);
    }

    private static string Word(string address) => address[2..].PadLeft(64, '0');

    private static string Word(long value) => value.ToString("x").PadLeft(64, '0');
}
