using Batcher.L1;
using DaClient;
using TestInfrastructure.Anvil;
using TestInfrastructure;

namespace Batcher.Tests.EndToEnd;

[Collection(AnvilFixture.Collection)]
public sealed class BatcherEndToEndTests(AnvilFixture anvil)
{
    [Fact]
    public async Task Sealed_blocks_reach_DA_and_the_inbox_and_verify_passes()
    {
        await using var rig = await BatcherRig.StartAsync(anvil.Node);
        rig.Start();
        for (var i = 0; i < 12; i++)
        {
            rig.Chain.SealBlock(i % 4 == 3 ? 0 : 9);
        }

        await rig.WaitUntilAllConfirmedAsync();

        var events = await rig.EventsAsync();
        Assert.True(events.Count >= 2, $"expected several batches at a 4 KiB bound, got {events.Count}");
        Assert.Equal(Enumerable.Range(0, events.Count).Select(i => (ulong)i), events.Select(e => e.BatchIndex));
        Assert.All(events, e => Assert.Equal((byte)DaCommitmentKind.Local, e.DaCommitment[0]));
        var (report, output) = await rig.VerifyAsync();
        Assert.True(report.Passed, output);
        Assert.Equal(12, report.Blocks);
        Assert.Equal(rig.Chain.Confirmed.Count, report.Transactions);
        Assert.Equal(rig.Chain.Confirmed.Count, report.ConfirmationsChecked);
        var (exitCode, commandOutput) = await rig.RunVerifyCommandAsync(rig.Chain.Confirmed.Select(BatcherRig.ToSoftConfirmation));
        Assert.True(exitCode == 0, commandOutput);
        Assert.Contains("verify: OK", commandOutput);
    }

    [Fact]
    public async Task A_tampered_DA_blob_makes_verify_fail_and_name_the_batch()
    {
        await using var rig = await BatcherRig.StartAsync(anvil.Node);
        rig.Start();
        for (var i = 0; i < 6; i++)
        {
            rig.Chain.SealBlock(9);
        }

        await rig.WaitUntilAllConfirmedAsync();
        await rig.StopAsync();
        var events = await rig.EventsAsync();
        var victim = events[^1];
        var file = Path.Combine(rig.DaDirectory, Convert.ToHexStringLower(victim.DaCommitment.AsSpan(1)) + ".batch");
        var bytes = await File.ReadAllBytesAsync(file);
        bytes[^5] ^= 0x40;
        await File.WriteAllBytesAsync(file, bytes);

        var (exitCode, output) = await rig.RunVerifyCommandAsync(rig.Chain.Confirmed.Select(BatcherRig.ToSoftConfirmation));

        Assert.Equal(1, exitCode);
        Assert.Contains($"MISMATCH: batch {victim.BatchIndex}:", output);
        Assert.Contains("tampered", output);
    }

    [Fact]
    public async Task A_forged_confirmation_makes_verify_fail_and_say_what_it_contradicts()
    {
        await using var rig = await BatcherRig.StartAsync(anvil.Node);
        rig.Start();
        for (var i = 0; i < 4; i++)
        {
            rig.Chain.SealBlock(5);
        }

        await rig.WaitUntilAllConfirmedAsync();
        var confirmations = rig.Chain.Confirmed.Select(BatcherRig.ToSoftConfirmation).ToList();
        // The sequencer claims a different transaction at sequence 7 (same place, another tx hash and accumulator).
        var honest = confirmations[7];
        confirmations[7] = honest with { TxHash = "0x" + new string('a', 64), Accumulator = "0x" + new string('b', 64) };
        // And block placement of sequence 3 moved to another block.
        confirmations[3] = confirmations[3] with { BlockNumber = confirmations[3].BlockNumber + 1 };

        var (exitCode, output) = await rig.RunVerifyCommandAsync(confirmations);

        Assert.Equal(1, exitCode);
        Assert.Contains($"confirmation of sequence 7 contradicts batch", output);
        Assert.Contains($"but the chain has {honest.TxHash}", output);
        Assert.Contains("confirmation of sequence 3 contradicts batch", output);
        Assert.Contains("verify: FAILED (2 problems)", output);
    }

    [Fact]
    public async Task DA_down_fails_over_to_calldata_loses_nothing_and_returns_to_DA()
    {
        await using var rig = await BatcherRig.StartAsync(anvil.Node);
        // A probe interval no run reaches on the wall clock: DA is tried again only because the test moves the clock.
        rig.Options.DaRecoveryProbeMs = 600_000;
        rig.Start();
        for (var i = 0; i < 4; i++)
        {
            rig.Chain.SealBlock(9);
        }

        await rig.WaitUntilAllConfirmedAsync();
        rig.Da.Available = false;
        for (var i = 0; i < 4; i++)
        {
            rig.Chain.SealBlock(9);
        }

        await rig.WaitUntilAllConfirmedAsync();
        Assert.True(rig.Status.FailedOver, "batcher should be failed over while DA is down");
        Assert.True(rig.Da.RefusedPuts > 0);
        rig.Da.Available = true;
        rig.Clock.Advance(TimeSpan.FromMilliseconds(rig.Options.DaRecoveryProbeMs));
        for (var i = 0; i < 4; i++)
        {
            rig.Chain.SealBlock(9);
        }

        await rig.WaitUntilAllConfirmedAsync();

        Assert.False(rig.Status.FailedOver);
        var kinds = (await rig.EventsAsync()).Select(e => (DaCommitmentKind)e.DaCommitment[0]).ToList();
        var firstCalldata = kinds.IndexOf(DaCommitmentKind.L1Calldata);
        Assert.True(firstCalldata > 0, "expected DA batches first, then calldata: " + string.Join(",", kinds));
        Assert.Contains(DaCommitmentKind.Local, kinds.Skip(kinds.LastIndexOf(DaCommitmentKind.L1Calldata)));
        var (report, output) = await rig.VerifyAsync();
        Assert.True(report.Passed, output);
        Assert.Equal(12, report.Blocks);
        Assert.Equal(rig.Chain.Confirmed.Count, report.ConfirmationsChecked);
        Assert.Contains("from L1Calldata: ok", output);
    }

    [Fact]
    public async Task An_L1_reorg_that_drops_a_post_gets_it_posted_again()
    {
        await using var rig = await BatcherRig.StartAsync(anvil.Node, confirmations: 3);
        var snapshot = await rig.SnapshotAsync();
        rig.Start();
        rig.Chain.SealBlock(9);
        rig.Chain.SealBlock(9);
        await Eventually.UntilAsync(async () => await rig.InboxNextBatchIndexAsync() != 0, TimeSpan.FromSeconds(20), "first post never mined");

        var headBefore = (await rig.Web3.Eth.Blocks.GetBlockNumber.SendRequestAsync()).Value;
        await rig.RevertAsync(snapshot);
        // The chain went back past the post (the batcher may already be sending it again).
        Assert.True((await rig.Web3.Eth.Blocks.GetBlockNumber.SendRequestAsync()).Value < headBefore);

        // Keep L1 moving so the re-sent posts gather their confirmations.
        await using (rig.KeepMining())
        {
            rig.Chain.SealBlock(9);
            await rig.WaitUntilAllConfirmedAsync();
        }

        var events = await rig.EventsAsync();
        Assert.Equal(Enumerable.Range(0, events.Count).Select(i => (ulong)i), events.Select(e => e.BatchIndex));
        var (report, output) = await rig.VerifyAsync();
        Assert.True(report.Passed, output);
        Assert.Equal(3, report.Blocks);
    }

    [Fact]
    public async Task A_reorg_deeper_than_the_confirmation_depth_gets_every_lost_batch_posted_again_once()
    {
        await using var rig = await BatcherRig.StartAsync(anvil.Node, confirmations: 2);
        var snapshot = await rig.SnapshotAsync();
        var nonceAtSnapshot = await rig.BatcherNonceAsync();
        // Keep L1 moving so posts gather their confirmations.
        await using (rig.KeepMining())
        {
            rig.Start();
            for (var i = 0; i < 6; i++)
            {
                rig.Chain.SealBlock(9);
            }

            await rig.WaitUntilAllConfirmedAsync();
            var before = await rig.EventsAsync();
            Assert.True(before.Count >= 2, $"expected several batches, got {before.Count}");

            // Every confirmed post is gone: a reorg far deeper than 2 blocks.
            await rig.RevertAsync(snapshot);
            Assert.Equal(0UL, await rig.InboxNextBatchIndexAsync());
            rig.Chain.SealBlock(9);
            await rig.WaitUntilAllConfirmedAsync();

            var events = await L1ResetTests.AssertEveryBlockPublishedOnceAsync(rig);
            Assert.Equal(before.Select(e => Convert.ToHexString(e.BatchHash)), events.Take(before.Count).Select(e => Convert.ToHexString(e.BatchHash)));
            Assert.Equal((ulong)events.Count, await rig.BatcherNonceAsync() - nonceAtSnapshot);
            Assert.Contains("a reorg deeper than the confirmation depth", rig.Status.ReconcileReason);
            Assert.True(rig.Status.BatchesReposted >= before.Count, rig.Status.Snapshot().ToString());
            await L1ResetTests.AssertVerifyPassesAsync(rig, events.Count);
        }
    }

    [Fact]
    public async Task A_batcher_stopped_between_saving_and_sending_a_post_resumes_without_gap_or_duplicate()
    {
        await using var rig = await BatcherRig.StartAsync(anvil.Node);
        var nonceBefore = await rig.BatcherNonceAsync();
        rig.Start(beforeBroadcast: record => record.BatchIndex == 1
            ? Task.FromException(new SimulatedCrashException())
            : Task.CompletedTask);
        for (var i = 0; i < 8; i++)
        {
            rig.Chain.SealBlock(9);
        }

        await Assert.ThrowsAsync<SimulatedCrashException>(() => rig.Run);
        await rig.StopAsync();
        Assert.Equal(1UL, await rig.InboxNextBatchIndexAsync());

        rig.Start();
        for (var i = 0; i < 3; i++)
        {
            rig.Chain.SealBlock(9);
        }

        await rig.WaitUntilAllConfirmedAsync();

        var events = await rig.EventsAsync();
        Assert.Equal(Enumerable.Range(0, events.Count).Select(i => (ulong)i), events.Select(e => e.BatchIndex));
        // One L1 transaction per batch: the post saved before the crash was sent once, not re-signed or doubled.
        Assert.Equal((ulong)events.Count, await rig.BatcherNonceAsync() - nonceBefore);
        var (report, output) = await rig.VerifyAsync();
        Assert.True(report.Passed, output);
        Assert.Equal(11, report.Blocks);
    }

    [Fact]
    public async Task Verify_against_the_sequencer_RPC_passes_and_catches_a_sequencer_that_changed_its_story()
    {
        await using var rig = await BatcherRig.StartAsync(anvil.Node);
        rig.Start();
        for (var i = 0; i < 5; i++)
        {
            rig.Chain.SealBlock(4);
        }

        await rig.WaitUntilAllConfirmedAsync();
        await using var sequencer = await FakeSequencerRpc.StartAsync(rig.Chain);
        string[] args = ["--l1-rpc", rig.Anvil.RpcUrl, "--inbox", rig.Inbox, "--da", rig.DaDirectory, "--sequencer-rpc", sequencer.Url];

        var honest = new StringWriter();
        Assert.True(await Batcher.Verification.VerifyCommand.RunAsync(args, honest, honest) == 0, honest.ToString());

        sequencer.EditConfirmation = c => (string)c["sequence"] == "0x5" ? new Dictionary<string, object>(c) { ["index"] = "0x3" } : c;
        var lying = new StringWriter();
        Assert.Equal(1, await Batcher.Verification.VerifyCommand.RunAsync(args, lying, lying));
        Assert.Contains("confirmation of sequence 5 contradicts batch", lying.ToString());
    }

    private sealed class SimulatedCrashException() : Exception("simulated crash after the checkpoint write");
}
