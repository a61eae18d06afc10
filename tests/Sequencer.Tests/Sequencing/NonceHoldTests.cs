using Sequencer.Sequencing;

namespace Sequencer.Tests.Sequencing;

/// <summary>Transactions ahead of their sender's next nonce wait in the core, bounded per sender and in total, on fake time.</summary>
public sealed class NonceHoldTests
{
    [Fact]
    public async Task HeldTransactions_AreBoundedPerSenderAndInTotal_AndFollowTheGapInOrder()
    {
        await using var core = await CoreHarness.StartAsync(o =>
        {
            o.NonceHold.MaxPerSender = 2;
            o.NonceHold.MaxTotal = 3;
        });
        var a = CoreHarness.NewSender();
        var a1 = core.SubmitAsync(CoreHarness.Request(a, 1));
        var a2 = core.SubmitAsync(CoreHarness.Request(a, 2));

        var a3 = await core.SequenceAsync(CoreHarness.Request(a, 3));
        Assert.Equal(SequencingRejection.NonceTooHigh, a3.Rejection);
        Assert.Equal("nonce too high: expected 0, got 3 (no room to wait for the gap: this sender's hold queue is full)", a3.Message);

        var b = CoreHarness.NewSender();
        var b1 = core.SubmitAsync(CoreHarness.Request(b, 1));
        var c1 = await core.SequenceAsync(CoreHarness.Request(CoreHarness.NewSender(), 1));
        Assert.Equal(SequencingRejection.NonceTooHigh, c1.Rejection);
        Assert.Equal("nonce too high: expected 0, got 1 (no room to wait for the gap: the hold queue is full)", c1.Message);
        Assert.Equal(3, core.Core.HeldCount);

        var a0 = await core.SequenceAsync(CoreHarness.Request(a, 0));
        var s0 = a0.Transaction!.Sequence;
        Assert.Equal(s0 + 1, (await a1.WaitAsync(CoreHarness.Bound)).Transaction!.Sequence);
        Assert.Equal(s0 + 2, (await a2.WaitAsync(CoreHarness.Bound)).Transaction!.Sequence);
        Assert.Equal(1, core.Core.HeldCount);
        Assert.False(b1.IsCompleted);
    }

    [Fact]
    public async Task AHeldTransaction_IsRefusedWithTheExpectedNonce_OnceTheHoldTimeHasPassed()
    {
        await using var core = await CoreHarness.StartAsync(o => o.NonceHold.WaitMs = 1_000);
        var sender = CoreHarness.NewSender();
        await core.SequenceAsync(CoreHarness.Request(sender, 0));
        var held = core.SubmitAsync(CoreHarness.Request(sender, 3));
        await core.HeldAsync(1);

        // Just before the deadline: another transaction passes the writer, which checks the holds after each round.
        core.Time.Advance(TimeSpan.FromMilliseconds(999));
        await core.SequenceAsync(CoreHarness.Request(CoreHarness.NewSender(), 0));
        Assert.False(held.IsCompleted);

        core.Time.Advance(TimeSpan.FromMilliseconds(1));
        var outcome = await held.WaitAsync(CoreHarness.Bound);

        Assert.Equal(SequencingRejection.NonceTooHigh, outcome.Rejection);
        Assert.Equal("nonce too high: expected 1, got 3 (the gap was not filled within 1000 ms)", outcome.Message);
        Assert.Equal(0, core.Core.HeldCount);
        Assert.Equal(1UL, core.Nonces.GetPending(sender));
        Assert.NotNull((await core.SequenceAsync(CoreHarness.Request(sender, 1))).Transaction);
    }

    [Fact]
    public async Task AnIdenticalReSendOfAHeldTransaction_WaitsWithIt_AndGetsTheSameConfirmation()
    {
        await using var core = await CoreHarness.StartAsync();
        var sender = CoreHarness.NewSender();
        var future = CoreHarness.Request(sender, 1);
        var again = new SequencingRequest(future.Hash, future.Raw, sender, 1, future.GasLimit);
        var first = core.SubmitAsync(future);
        var second = core.SubmitAsync(again);
        await core.HeldAsync(1);

        await core.SequenceAsync(CoreHarness.Request(sender, 0));

        var one = (await first.WaitAsync(CoreHarness.Bound)).Transaction!;
        Assert.Same(one, (await second.WaitAsync(CoreHarness.Bound)).Transaction);
        Assert.Equal(2, core.Log.DurableRecords.Count);
    }
}
