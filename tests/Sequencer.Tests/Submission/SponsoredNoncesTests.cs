using Primitives;
using Sequencer.Sequencing;
using Sequencer.Submission;

namespace Sequencer.Tests.Submission;

/// <summary>How the sponsored lane counts an account's nonces past what the core has sequenced.</summary>
public sealed class SponsoredNoncesTests
{
    private static readonly Address Account = new(Enumerable.Repeat((byte)0xab, 20).ToArray());

    private readonly NonceBook _book = new(maxPerSender: 8, maxTotal: 64, TimeSpan.FromSeconds(1), TimeProvider.System);

    [Fact]
    public void WithNothingInFlight_TheNextNonceIsTheNonceBooks()
    {
        var nonces = new SponsoredNonces(_book);
        _book.Advance(Account, 5);

        Assert.True(nonces.TryNext(Account, out var nonce, out _));
        Assert.Equal(5UL, nonce);
    }

    [Fact]
    public void QueuedTransactions_CountPastTheNonceBook_UntilAllAreAnswered()
    {
        var nonces = new SponsoredNonces(_book);
        nonces.Queued(Account, 0);
        nonces.Queued(Account, 1);

        Assert.True(nonces.TryNext(Account, out var next, out _));
        Assert.Equal(2UL, next);

        // The core sequences both (and advances its book) before it answers them.
        _book.Advance(Account, 2);
        nonces.Answered(Account, sequenced: true);
        nonces.Answered(Account, sequenced: true);
        _book.Advance(Account, 7);

        Assert.True(nonces.TryNext(Account, out next, out _));
        Assert.Equal(7UL, next);
    }

    [Fact]
    public void AfterAQueuedTransactionIsRefused_NewOnesWaitUntilTheAccountHasNothingInFlight()
    {
        var nonces = new SponsoredNonces(_book);
        nonces.Queued(Account, 0);
        nonces.Queued(Account, 1);

        nonces.Answered(Account, sequenced: false);

        Assert.False(nonces.TryNext(Account, out _, out var drained));
        Assert.False(drained!.IsCompleted);

        // Nonce 1 waited for the refused nonce 0 and was refused too; the book never moved.
        nonces.Answered(Account, sequenced: false);

        Assert.True(drained.IsCompleted);
        Assert.True(nonces.TryNext(Account, out var next, out _));
        Assert.Equal(0UL, next);
    }
}
