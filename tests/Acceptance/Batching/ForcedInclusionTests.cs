using System.Text.Json;
using Nethereum.Hex.HexConvertors.Extensions;
using Nethereum.Util;
using Primitives;
using Primitives.Chain;
using TestInfrastructure;
using TestInfrastructure.Ethereum;
using TestInfrastructure.Sequencer;
using Xunit.Abstractions;

namespace Acceptance.Batching;

/// <summary>
/// Forced inclusion end to end (docs/l1.md, "Forced inclusion"): a signed transaction queued on anvil with
/// forceInclude is sequenced by the sequencer process (soft-confirmed on the feed), consumed by a posted batch within
/// the window, and posting goes on after the window; invalid entries are skipped with the same reason by the
/// sequencer's journal and verify, and the contract counts them consumed.
/// </summary>
public sealed class ForcedInclusionTests(ForcedInclusionFixture l1, ITestOutputHelper output) : IClassFixture<ForcedInclusionFixture>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_forced_transaction_is_sequenced_confirmed_on_the_feed_and_posted_within_the_window_and_posting_continues_after_it()
    {
        using var rpc = new RpcTestClient(l1.Sequencer.RpcUrl);
        using var feed = await RpcWebSocket.ConnectAsync(new Uri($"ws://127.0.0.1:{l1.Sequencer.Port}/ws"));
        await feed.SubscribeAsync("softConfirmations");

        var user = TestWallet.FromSeed(91_000, SequencerProcess.ChainId);
        var raw = user.Sign1559(user.TakeNonce());
        var hash = Hash(raw);
        var (queuedAt, queueIndex) = await l1.ForceIncludeAsync(raw);

        var confirmation = await Eventually.UntilAsync(
            async () => await rpc.ResultAsync("sequencer_getSoftConfirmation", hash),
            c => c.ValueKind == JsonValueKind.Object, Timeout,
            _ => $"forced transaction {hash} never sequenced\n{l1.Sequencer.RecentOutput}");
        var sequence = SoftConfirmationVerifier.Quantity(confirmation, "sequence");
        Assert.True(await FeedCarriesAsync(feed, hash), "the feed did not carry the forced transaction's confirmation");

        // A batch consumes the entry, within the window.
        var consuming = await Eventually.UntilAsync(l1.ReadBatchesAsync, batches => batches.Any(b => b.Event.ForcedThrough > queueIndex), Timeout,
            batches => $"no batch consumed the forced entry: {batches.Count} batches\n{l1.Sequencer.RecentOutput}");
        var batch = consuming.First(b => b.Event.ForcedThrough > queueIndex);
        Assert.True(batch.Event.ForcedFrom <= queueIndex);
        Assert.True(batch.L1Block <= queuedAt + ForcedInclusionFixture.Window, $"consumed at L1 block {batch.L1Block}, queued at {queuedAt}");
        Assert.True(batch.Event.FirstSequence + batch.Event.TxCount > sequence, "the consuming batch does not cover the forced transaction's sequence");

        // Past the window: the inbox accepts batches only because the entry is consumed.
        await l1.MineAsync((int)ForcedInclusionFixture.Window + 5);
        var later = TestWallet.FromSeed(91_001, SequencerProcess.ChainId);
        var next = await rpc.ResultAsync("sequencer_sendRawTransaction", later.Sign1559(later.TakeNonce()));
        var lastBlock = SoftConfirmationVerifier.Quantity(next, "blockNumber");
        await PublishedChainFixture.WaitUntilPublishedAsync(l1.Anvil.RpcUrl, l1.Inbox, l1.Sequencer, lastBlock);
        Assert.True(await l1.NextForcedIndexAsync() > queueIndex);

        var (exit, text) = await VerifyTool.RunAsync(l1.VerifyArguments());
        output.WriteLine(text);
        Assert.True(exit == 0, text);
        Assert.Contains("forced entries:", text);

        // The proof material for the posted transaction leads from its leaf to the root the inbox stored.
        var proof = await rpc.ResultAsync("sequencer_getInclusionProof", hash);
        Assert.Equal(batch.Event.BatchIndex, SoftConfirmationVerifier.Quantity(proof, "batchIndex"));
        Assert.Equal(sequence, SoftConfirmationVerifier.Quantity(proof, "sequence"));
        Assert.Equal(batch.Event.TxRoot.ToHex(true), proof.GetProperty("txRoot").GetString());
        var siblings = proof.GetProperty("siblings").EnumerateArray().Select(s => Parse(s.GetString()!)).ToArray();
        var leaf = TransactionTree.Leaf(sequence, Parse(hash), Parse(proof.GetProperty("accumulator").GetString()!));
        var root = TransactionTree.RootFrom(leaf, (int)(sequence - batch.Event.FirstSequence), (int)batch.Event.TxCount, siblings);
        Assert.Equal(batch.Event.TxRoot.ToHex(true), root.ToString());
        Assert.Equal(JsonValueKind.Null, (await rpc.ResultAsync("sequencer_getInclusionProof", "0x" + new string('1', 64))).ValueKind);
    }

    private static Hash32 Parse(string hex) => Hash32.TryParse(hex, out var hash) ? hash : throw new FormatException(hex);

    [Fact]
    public async Task Invalid_forced_transactions_are_skipped_with_the_same_reason_by_the_sequencer_and_verify_and_counted_consumed_by_the_inbox()
    {
        using var rpc = new RpcTestClient(l1.Sequencer.RpcUrl);
        var user = TestWallet.FromSeed(92_000, SequencerProcess.ChainId);

        // Nonce 0 goes in through the RPC; the forced copy with nonce 0 (another recipient) is then too low.
        var sent = await rpc.ResultAsync("sequencer_sendRawTransaction", user.Sign1559(0));
        Assert.Equal(JsonValueKind.Object, sent.ValueKind);
        string[] forced =
        [
            user.Sign1559(1, chainId: 1),                                   // signed for another chain
            user.Sign1559(0, to: "0x000000000000000000000000000000000000bEEF"), // nonce too low
            user.Sign1559(7),                                               // nonce too high: never waits for a gap
            user.Sign1559(1),                                               // valid: included after the skips
        ];
        var indices = new List<ulong>();
        foreach (var raw in forced)
        {
            indices.Add((await l1.ForceIncludeAsync(raw)).QueueIndex);
        }

        var before = indices[0];
        Assert.Equal([before, before + 1, before + 2, before + 3], indices);
        var queued = before + (ulong)forced.Length;
        var included = Hash(forced[3]);
        await Eventually.UntilAsync(
            async () => (await rpc.ResultAsync("sequencer_getSoftConfirmation", included)).ValueKind == JsonValueKind.Object,
            Timeout, "the valid forced transaction after the invalid ones is sequenced");
        foreach (var raw in forced[..3])
        {
            Assert.Equal(JsonValueKind.Null, (await rpc.ResultAsync("sequencer_getSoftConfirmation", Hash(raw))).ValueKind);
        }

        // The sequencer's record (its journal) names each reason.
        // The last decision is journaled right after its transaction is confirmed.
        var lines = await Eventually.UntilAsync(() => File.ReadAllLinesAsync(l1.JournalFile), l => l.Length >= (int)queued, Timeout,
            l => $"{l.Length} journal lines, {queued} expected");
        var journal = lines.Select(line => JsonDocument.Parse(line).RootElement).ToList();
        var reasons = journal.Skip((int)before).Select(e => e.GetProperty("reason").ValueKind == JsonValueKind.Null ? "included" : e.GetProperty("reason").GetString()!.Split(':')[0]).ToList();
        Assert.Equal(["wrong_chain_id", "nonce_too_low", "nonce_too_high", "included"], reasons);

        // The inbox counts all four consumed once a batch is posted.
        await l1.MineAsync(2);
        await Eventually.UntilAsync(async () => await l1.NextForcedIndexAsync() >= queued, Timeout,
            $"the inbox's nextForcedIndex reaches {queued}");

        var (exit, text) = await VerifyTool.RunAsync(l1.VerifyArguments());
        output.WriteLine(text);
        Assert.True(exit == 0, text);
        Assert.Contains("skipped entry " + (before + 0) + ": wrong_chain_id", text);
        Assert.Contains("skipped entry " + (before + 1) + ": nonce_too_low", text);
        Assert.Contains("skipped entry " + (before + 2) + ": nonce_too_high", text);
    }

    private static string Hash(string raw) => "0x" + Sha3Keccack.Current.CalculateHash(raw.HexToByteArray()).ToHex();

    private static async Task<bool> FeedCarriesAsync(RpcWebSocket feed, string hash)
    {
        using var timeout = new CancellationTokenSource(Timeout);
        while (!timeout.IsCancellationRequested)
        {
            var message = await feed.ReceiveAsync().WaitAsync(timeout.Token);
            if (message.TryGetProperty("params", out var parameters)
                && parameters.GetProperty("result").TryGetProperty("txHash", out var txHash)
                && string.Equals(txHash.GetString(), hash, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}
