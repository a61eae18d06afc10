using System.Globalization;
using System.Text.Json;
using TestInfrastructure;
using TestInfrastructure.Ethereum;

namespace Acceptance.Replication;

/// <summary>
/// Reads a replica's whole chain over RPC — every block from 1, every transaction's soft confirmation — and checks it
/// against itself: sequences gap-free from 0, the accumulator recomputed over every transaction, each confirmation at its
/// place and signed by the sequencer key.
/// </summary>
internal static class ChainAudit
{
    /// <summary>One replica's chain: transaction hashes in sequence order and the confirmation it serves for each.</summary>
    public sealed record Chain(IReadOnlyList<string> TxHashes, IReadOnlyList<JsonElement> Confirmations, IReadOnlyList<string> BlockHashes);

    public static async Task<Chain> ReadAsync(Uri url, string sequencerAddress, ulong chainId)
    {
        using var rpc = new RpcTestClient(url);
        var hashes = new List<string>();
        var blocks = new List<string>();

        // Every block it serves: a follower serves its last block once the leader's next record closes it.
        for (var number = 1UL; ; number++)
        {
            var block = await rpc.ResultAsync("sequencer_getBlockByNumber", "0x" + number.ToString("x", CultureInfo.InvariantCulture), false);
            if (block.ValueKind != JsonValueKind.Object)
            {
                break;
            }

            blocks.Add(block.GetProperty("hash").GetString()!);
            hashes.AddRange(block.GetProperty("transactions").EnumerateArray().Select(h => h.GetString()!));
        }

        var confirmations = new JsonElement[hashes.Count];
        var accumulator = "0x" + new string('0', 64);
        var accumulators = new string[hashes.Count];
        for (var i = 0; i < hashes.Count; i++)
        {
            accumulator = SoftConfirmationVerifier.NextAccumulator(accumulator, hashes[i]);
            accumulators[i] = accumulator;
        }

        // Eight requests at a time: tens of thousands of transactions per replica in the long run.
        await Parallel.ForAsync(0, hashes.Count, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, _) =>
        {
            var confirmation = (await rpc.ResultAsync("sequencer_getSoftConfirmation", hashes[i])).Clone();
            Assert.True(confirmation.ValueKind == JsonValueKind.Object, $"{url} holds {hashes[i]} at sequence {i} but serves no confirmation for it");
            Assert.Equal((ulong)i, SoftConfirmationVerifier.Quantity(confirmation, "sequence"));
            Assert.Equal(accumulators[i], confirmation.GetProperty("accumulator").GetString());
            Assert.Equal(sequencerAddress, SoftConfirmationVerifier.RecoverSigner(confirmation, chainId));
            confirmations[i] = confirmation;
        });
        return new Chain(hashes, confirmations, blocks);
    }
}
