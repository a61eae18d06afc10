namespace Batcher.L1;

public enum PostState
{
    /// <summary>Not mined (yet, or again after a reorg).</summary>
    Pending,

    /// <summary>Mined, fewer confirmations than required.</summary>
    Mined,

    /// <summary>Mined with the required confirmations and the inbox holds this batch.</summary>
    Confirmed,
}
