namespace Sequencer.Sequencing;

/// <summary>What <see cref="NonceBook.TryHold"/> did with a transaction that is ahead of its sender's next nonce.</summary>
internal enum HoldResult
{
    /// <summary>It waits for the gap (or joins an identical transaction already waiting).</summary>
    Held,

    /// <summary>A different transaction with the same nonce from the same sender is already waiting.</summary>
    NonceTaken,

    /// <summary>The sender has as many transactions waiting as it may.</summary>
    SenderFull,

    /// <summary>As many transactions wait as the sequencer allows in total.</summary>
    TotalFull,
}
