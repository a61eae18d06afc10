using TestInfrastructure;
using System.Text.Json;
using Sequencer.Tests.Infrastructure;

namespace Sequencer.Tests.History;

/// <summary>A host whose memory bounds are tiny, so a few hundred transactions push most of the history to disk.</summary>
public class BoundedHistoryHost : SequencerHostFixture
{
    public const int MaxTransactions = 64;
    public const int MaxBlocks = 16;

    /// <summary>What the bound may be exceeded by: what waits for the next chunk (half the bound) and the block being built.</summary>
    public const int Slack = MaxTransactions / 2 + 64;

    protected override IEnumerable<string> Settings =>
    [
        $"--Sequencer:History:MaxTransactions={MaxTransactions}",
        "--Sequencer:History:MaxBytes=65536",
        $"--Sequencer:History:MaxBlocks={MaxBlocks}",
        $"--Sequencer:History:ChunkTransactions={MaxTransactions / 2}",
        "--Sequencer:History:CheckpointIntervalMs=1000",
        "--Sequencer:BlockTimeMs=20",
        "--Sequencer:Wal:SegmentBytes=1048576",
    ];

    public string HistoryDirectory => Path.Combine(DataDirectory, "history");

    public string WalDirectory => Path.Combine(DataDirectory, "wal");

    public async Task<JsonElement> HistoryStatusAsync() => (await Rpc.ResultAsync("sequencer_getStatus")).GetProperty("history");

    /// <summary>Sends <paramref name="perWallet"/> transactions from each of <paramref name="wallets"/> wallets at once; the confirmations in send order per wallet.</summary>
    public async Task<List<JsonElement>> SendAsync(int wallets, int perWallet, int seed)
    {
        var sends = Enumerable.Range(0, wallets).Select(async w =>
        {
            var wallet = NewWallet(seed + w);
            var confirmations = new List<JsonElement>();
            for (var i = 0; i < perWallet; i++)
            {
                confirmations.Add(await Rpc.ResultAsync("sequencer_sendRawTransaction", wallet.Sign1559(wallet.TakeNonce())));
            }

            return confirmations;
        });
        return (await Task.WhenAll(sends)).SelectMany(c => c).ToList();
    }

    /// <summary>Waits until the history index covers every published transaction (the indexer writes at least every second here).</summary>
    public async Task WaitIndexedAsync(long sequenceEnd)
    {
        await Eventually.UntilAsync(
            HistoryStatusAsync,
            history => history.GetProperty("indexedSequenceEnd").GetInt64() >= sequenceEnd && history.GetProperty("checkpointSequence").GetInt64() >= sequenceEnd,
            TimeSpan.FromSeconds(30),
            history => $"history index never reached sequence {sequenceEnd}: {history}");
    }

    /// <summary>Every confirmation answers exactly as it was first given, by hash, as a transaction, and within its block.</summary>
    public async Task AssertAllAnsweredAsync(IReadOnlyList<JsonElement> confirmations)
    {
        foreach (var confirmation in confirmations)
        {
            var hash = confirmation.GetProperty("txHash").GetString();
            var again = await Rpc.ResultAsync("sequencer_getSoftConfirmation", hash);
            Assert.Equal(confirmation.GetRawText(), again.GetRawText());
            var tx = await Rpc.ResultAsync("eth_getTransactionByHash", hash);
            Assert.Equal(hash, tx.GetProperty("hash").GetString());
            Assert.Equal(confirmation.GetProperty("blockNumber").GetString(), tx.GetProperty("blockNumber").GetString());
        }
    }
}
