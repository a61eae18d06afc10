using System.Collections.Concurrent;
using System.Text.Json;
using TestInfrastructure.Ethereum;
using TestInfrastructure.Sequencer;

namespace Acceptance.Durability;

/// <summary>What clients of a sequencer process were told: every soft confirmation received, by transaction hash.</summary>
internal sealed class ConfirmationLedger
{
    private readonly ConcurrentDictionary<string, JsonElement> _received = new();

    public int Count => _received.Count;

    /// <summary>Sends <paramref name="perWallet"/> transactions from each of <paramref name="wallets"/> wallets at once; each must be confirmed.</summary>
    public Task SendAsync(Uri url, int seed, int wallets, int perWallet) =>
        Task.WhenAll(Enumerable.Range(seed, wallets).Select(walletSeed => Task.Run(async () =>
        {
            using var rpc = new RpcTestClient(url);
            var wallet = Wallet(walletSeed);
            for (var i = 0; i < perWallet; i++)
            {
                Record(await rpc.ResultAsync("sequencer_sendRawTransaction", wallet.Sign1559(wallet.TakeNonce())));
            }
        })));

    public void Record(JsonElement confirmation) => _received[confirmation.GetProperty("txHash").GetString()!] = confirmation.Clone();

    /// <summary>Every confirmation received is served unchanged, and no two hold the same sequence.</summary>
    public async Task AssertAllIntactAsync(Uri url)
    {
        using var rpc = new RpcTestClient(url);
        var sequences = new HashSet<ulong>();
        foreach (var (hash, confirmation) in _received)
        {
            Assert.True(sequences.Add(SoftConfirmationVerifier.Quantity(confirmation, "sequence")), $"sequence of {hash} given twice");
            var stored = await rpc.ResultAsync("sequencer_getSoftConfirmation", hash);
            Assert.Equal(confirmation.GetRawText(), stored.GetRawText());
        }
    }

    /// <summary>The wallet a seed stands for; the same seed gives the same key and, per ledger, continuing nonces.</summary>
    public TestWallet Wallet(int seed) => _wallets.GetOrAdd(seed, s => TestWallet.FromSeed(s, SequencerProcess.ChainId));

    private readonly ConcurrentDictionary<int, TestWallet> _wallets = new();
}
