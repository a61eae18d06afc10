using Batcher.L1;
using Nethereum.Web3;
using Nethereum.Web3.Accounts;
using TestInfrastructure.Anvil;
using TestInfrastructure;

namespace Batcher.Tests.EndToEnd;

/// <summary>
/// L1 loses what the batcher posted: anvil killed and started fresh on the same port (every nonce back to 0,
/// the inbox gone until it is deployed again at the same address). The batcher must notice, say so in its
/// status, and post every batch again, once each, in order, so that verify passes on the new chain.
/// </summary>
public sealed class L1ResetTests
{
    [Fact]
    public async Task An_L1_reset_with_posts_in_flight_ends_with_every_batch_posted_again_once_and_verify_passing()
    {
        await using var node = await AnvilNode.StartAsync();
        await using var rig = await BatcherRig.StartAsync(node);
        rig.Start();
        for (var i = 0; i < 8; i++)
        {
            rig.Chain.SealBlock(9);
        }

        await rig.WaitUntilAllConfirmedAsync();
        var confirmedBefore = await rig.EventsAsync();
        Assert.True(confirmedBefore.Count >= 2, $"expected several batches at a 4 KiB bound, got {confirmedBefore.Count}");

        // From now on posts wait in the pool: the reset catches them in flight.
        await rig.Web3.Client.SendRequestAsync<object>("evm_setAutomine", null, false);
        for (var i = 0; i < 6; i++)
        {
            rig.Chain.SealBlock(9);
        }

        await WaitForAsync(() => rig.Status.PostsInFlight >= 2, "posts in flight", rig);

        await node.RestartFreshAsync();
        // Until the inbox is back, the batcher says what is wrong instead of posting into nothing.
        await WaitForAsync(() => rig.Status.State == "reconciling"
            && rig.Status.ReconcileReason?.Contains($"there is no contract at the inbox address {rig.Inbox}", StringComparison.OrdinalIgnoreCase) == true,
            "the status to show the missing inbox", rig);
        Assert.Equal(0UL, await rig.BatcherNonceAsync());
        Assert.Equal(rig.Inbox, await rig.RedeployInboxAsync(), StringComparer.OrdinalIgnoreCase);
        rig.Chain.SealBlock(9);
        rig.Chain.SealBlock(9);

        await rig.WaitUntilAllConfirmedAsync(TimeSpan.FromSeconds(60));

        var events = await AssertEveryBlockPublishedOnceAsync(rig);
        // The same batches as before the reset (same bytes, same DA blobs), under the same indices.
        for (var i = 0; i < confirmedBefore.Count; i++)
        {
            Assert.Equal(confirmedBefore[i].BatchHash, events[i].BatchHash);
            Assert.Equal(confirmedBefore[i].DaCommitment, events[i].DaCommitment);
        }

        // Posted once each on the new chain: one transaction per batch, none wasted on a duplicate.
        Assert.Equal((ulong)events.Count, await rig.BatcherNonceAsync());
        var status = rig.Status;
        Assert.True(status.Reconciliations >= 1, status.Snapshot().ToString());
        Assert.True(status.BatchesReposted >= confirmedBefore.Count + 2, status.Snapshot().ToString());
        Assert.True(status.ReconcileReason?.Contains("the inbox expects batch 0 next, but batches up to", StringComparison.Ordinal) == true, status.ReconcileReason);
        Assert.Contains("posting batches 0-", status.ReconcileReason);
        Assert.Null(status.LastError);
        await AssertVerifyPassesAsync(rig, events.Count);
    }

    [Fact]
    public async Task A_batcher_started_after_an_L1_reset_posts_every_batch_again()
    {
        await using var node = await AnvilNode.StartAsync();
        await using var rig = await BatcherRig.StartAsync(node);
        rig.Start();
        for (var i = 0; i < 6; i++)
        {
            rig.Chain.SealBlock(9);
        }

        await rig.WaitUntilAllConfirmedAsync();
        var before = await rig.EventsAsync();
        await rig.StopAsync();
        await node.RestartFreshAsync();
        await rig.RedeployInboxAsync();

        rig.Start();
        rig.Chain.SealBlock(9);
        await rig.WaitUntilAllConfirmedAsync(TimeSpan.FromSeconds(60));

        var events = await AssertEveryBlockPublishedOnceAsync(rig);
        Assert.Equal(before.Select(e => Convert.ToHexString(e.BatchHash)), events.Take(before.Count).Select(e => Convert.ToHexString(e.BatchHash)));
        Assert.Equal((ulong)events.Count, await rig.BatcherNonceAsync());
        Assert.StartsWith("at start: the inbox expects batch 0 next, but batches up to", rig.Status.ReconcileReason);
        await AssertVerifyPassesAsync(rig, events.Count);
    }

    [Fact]
    public async Task After_an_L1_reset_calldata_batches_and_a_batch_DA_lost_are_encoded_again_to_the_same_bytes()
    {
        await using var node = await AnvilNode.StartAsync();
        await using var rig = await BatcherRig.StartAsync(node);
        rig.Start();
        for (var i = 0; i < 3; i++)
        {
            rig.Chain.SealBlock(9);
        }

        await rig.WaitUntilAllConfirmedAsync();
        rig.Da.Available = false;
        for (var i = 0; i < 3; i++)
        {
            rig.Chain.SealBlock(9);
        }

        await rig.WaitUntilAllConfirmedAsync();
        rig.Da.Available = true;
        var before = await rig.EventsAsync();
        var kinds = before.Select(e => (DaClient.DaCommitmentKind)e.DaCommitment[0]).ToList();
        Assert.Contains(DaClient.DaCommitmentKind.L1Calldata, kinds);
        Assert.Equal(DaClient.DaCommitmentKind.Local, kinds[0]);
        // DA lost the first batch's blob: it is put again; the calldata batches go as calldata again.
        var lostBlob = Path.Combine(rig.DaDirectory, Convert.ToHexStringLower(before[0].DaCommitment.AsSpan(1)) + ".batch");
        File.Delete(lostBlob);
        var reconciliationsBefore = rig.Status.Reconciliations;

        await node.RestartFreshAsync();
        await rig.RedeployInboxAsync();
        // Until the batcher has polled the new chain its status still says "all confirmed" from the old one.
        await WaitForAsync(() => rig.Status.Reconciliations > reconciliationsBefore, "the batcher to notice the reset", rig);
        await rig.WaitUntilAllConfirmedAsync(TimeSpan.FromSeconds(60));

        var events = await AssertEveryBlockPublishedOnceAsync(rig);
        Assert.Equal(before.Select(e => Convert.ToHexString(e.BatchHash)), events.Select(e => Convert.ToHexString(e.BatchHash)));
        for (var i = 0; i < events.Count; i++)
        {
            if (kinds[i] == DaClient.DaCommitmentKind.L1Calldata)
            {
                Assert.Equal(before[i].DaCommitment, events[i].DaCommitment);
            }
        }

        Assert.True(File.Exists(lostBlob) || events[0].DaCommitment[0] == (byte)DaClient.DaCommitmentKind.L1Calldata, "batch 0 was neither put in DA again nor posted as calldata");
        Assert.Equal((ulong)events.Count, await rig.BatcherNonceAsync());
        await AssertVerifyPassesAsync(rig, events.Count);
    }

    [Fact]
    public async Task An_inbox_that_holds_another_batch_stops_the_batcher_with_both_hashes_in_its_status()
    {
        await using var node = await AnvilNode.StartAsync();
        await using var rig = await BatcherRig.StartAsync(node);
        rig.Start();
        for (var i = 0; i < 3; i++)
        {
            rig.Chain.SealBlock(9);
        }

        await rig.WaitUntilAllConfirmedAsync();
        var ours = (await rig.EventsAsync())[0].BatchHash;
        await rig.StopAsync();
        await node.RestartFreshAsync();
        await rig.RedeployInboxAsync();
        // Someone with the batcher's key appends a batch 0 of their own to the new inbox.
        var foreign = Enumerable.Repeat((byte)0xee, 32).ToArray();
        var web3 = new Web3(new Account(BatcherRig.BatcherKey, node.ChainId), node.RpcUrl);
        var receipt = await web3.Eth.GetContractTransactionHandler<AppendBatchFunction>().SendRequestAndWaitForReceiptAsync(rig.Inbox, new AppendBatchFunction
        {
            BatchIndex = 0,
            FirstBlock = 1,
            LastBlock = 1,
            BatchHash = foreign,
            Accumulator = foreign,
            TxCount = 1,
            TxRoot = foreign,
            DaCommitment = [0x01, 0xff],
        });
        Assert.Equal(1, (int)receipt.Status.Value);

        rig.Start();

        await Assert.ThrowsAsync<L1PostingException>(() => rig.Run);
        Assert.Equal("faulted", rig.Status.State);
        Assert.Contains("holds batch 0 with hash 0x" + new string('e', 64), rig.Status.LastError);
        Assert.Contains("made it with hash 0x" + Convert.ToHexStringLower(ours), rig.Status.LastError);
        Assert.Equal(1UL, await rig.InboxNextBatchIndexAsync());
    }

    /// <summary>Batches 0..n-1 on L1, each once, joining up from block 1 to the last sealed block.</summary>
    internal static async Task<List<BatchAppendedEvent>> AssertEveryBlockPublishedOnceAsync(BatcherRig rig)
    {
        var events = await rig.EventsAsync();
        Assert.Equal(Enumerable.Range(0, events.Count).Select(i => (ulong)i), events.Select(e => e.BatchIndex));
        for (var i = 0; i < events.Count; i++)
        {
            Assert.Equal(i == 0 ? 1UL : events[i - 1].LastBlock + 1, events[i].FirstBlock);
        }

        Assert.Equal(rig.Chain.LatestSealedNumber, events[^1].LastBlock);
        return events;
    }

    /// <summary>The verify command, as a user runs it, re-derives the whole chain and checks every confirmation.</summary>
    internal static async Task AssertVerifyPassesAsync(BatcherRig rig, int batches)
    {
        var confirmations = rig.Chain.Confirmed.Select(BatcherRig.ToSoftConfirmation).ToList();
        var (exitCode, output) = await rig.RunVerifyCommandAsync(confirmations);
        Assert.True(exitCode == 0, output);
        Assert.Contains($"{batches} batches, {rig.Chain.LatestSealedNumber} blocks, {confirmations.Count} transactions published; {confirmations.Count} confirmations checked, 0 not yet published", output);
        Assert.Contains("verify: OK", output);
    }

    internal static Task WaitForAsync(Func<bool> condition, string what, BatcherRig rig) =>
        Eventually.UntilAsync(
            () => Task.FromResult(condition() || rig.ThrowIfStopped()), done => done, TimeSpan.FromSeconds(30),
            _ => $"timed out waiting for {what}: {rig.Status.Snapshot()}");
}
