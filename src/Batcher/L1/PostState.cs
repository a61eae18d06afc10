namespace Batcher.L1;

public enum PostState
{
    /// <summary>Not mined (yet, or again after a reorg).</summary>
    Pending,

    /// <summary>Mined, fewer confirmations than required.</summary>
    Mined,

    /// <summary>Mined with the required confirmations and the inbox holds this batch.</summary>
    Confirmed,

    /// <summary>
    /// Can never append its batch: its nonce went to another transaction, or it was mined where no inbox
    /// was. L1 disagrees with the batcher's records; a reconciliation with the inbox decides what to post.
    /// </summary>
    Superseded,

    /// <summary>Reverted while the inbox holds another batch at its index: no re-post can fix that (the batcher faults).</summary>
    Conflict,
}

/// <summary>What <see cref="L1Poster.CheckAsync"/> found: the post's state and, for a <see cref="PostState.Conflict"/>, what conflicts.</summary>
public readonly record struct PostCheck(PostState State, string? Conflict = null);
