using Sequencer.Sequencing;

namespace Sequencer.Tests.Sequencing;

/// <summary>
/// A forced-inclusion request (docs/l1.md, "The sequencer's side") is judged by the single writer at once: it never
/// waits for a nonce gap, and it carries the chain's next sequence at the moment it was judged.
/// </summary>
public sealed class ForcedRequestTests
{
    [Fact]
    public async Task A_forced_request_ahead_of_its_nonce_is_refused_at_once_where_an_ordinary_one_would_wait()
    {
        await using var core = await CoreHarness.StartAsync();
        var sender = CoreHarness.NewSender();
        await core.SequenceAsync(CoreHarness.Request(sender, 0));
        await core.SequenceAsync(CoreHarness.Request(CoreHarness.NewSender(), 0));

        var forced = Forced(CoreHarness.Request(sender, 2));
        var outcome = await core.SequenceAsync(forced);

        Assert.Equal(SequencingRejection.NonceTooHigh, outcome.Rejection);
        Assert.Equal(0, core.Core.HeldCount);
        Assert.Equal(2UL, forced.DecidedAt);
        Assert.StartsWith("nonce too high: next nonce for", outcome.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_forced_request_with_the_next_nonce_is_sequenced_where_it_was_judged_and_a_lower_one_is_refused()
    {
        await using var core = await CoreHarness.StartAsync();
        var sender = CoreHarness.NewSender();
        await core.SequenceAsync(CoreHarness.Request(CoreHarness.NewSender(), 0));

        var first = Forced(CoreHarness.Request(sender, 0));
        var sequenced = await core.SequenceAsync(first);
        var again = Forced(CoreHarness.Request(sender, 0));
        var low = await core.SequenceAsync(again);

        Assert.Equal(1L, sequenced.Transaction!.Sequence);
        Assert.Equal(1UL, first.DecidedAt);
        Assert.Equal(SequencingRejection.NonceTooLow, low.Rejection);
        Assert.Equal(2UL, again.DecidedAt);
    }

    private static SequencingRequest Forced(SequencingRequest request) =>
        new(request.Hash, request.Raw, request.Sender, request.Nonce, request.GasLimit) { Forced = true };
}
