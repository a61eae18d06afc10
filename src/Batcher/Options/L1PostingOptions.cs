namespace Batcher.Options;

/// <summary>"Batcher:L1": posting batch commitments to the BatchInbox contract.</summary>
public sealed class L1PostingOptions
{
    /// <summary>Off by default: batches then go to DA only and are listed in <see cref="JournalFile"/>.</summary>
    public bool Enabled { get; set; }

    public string RpcUrl { get; set; } = "";

    /// <summary>Address of the deployed BatchInbox.</summary>
    public string InboxAddress { get; set; } = "";

    /// <summary>The batcher's L1 key as hex; prefer <see cref="KeyFile"/>. Never logged.</summary>
    public string PrivateKey { get; set; } = "";

    /// <summary>File holding the batcher's L1 key as hex (relative paths are inside the data directory).</summary>
    public string KeyFile { get; set; } = "";

    /// <summary>A post counts as done once its block has this many confirmations (1 = mined).</summary>
    public int Confirmations { get; set; } = 3;

    public int PollIntervalMs { get; set; } = 1000;

    /// <summary>A post not mined after this long is re-signed with higher fees (same nonce).</summary>
    public int StuckAfterMs { get; set; } = 60_000;

    /// <summary>Fee increase per bump, in percent (nodes require at least 10 to replace a transaction).</summary>
    public int FeeBumpPercent { get; set; } = 25;

    /// <summary>Cap on maxFeePerGas, in wei; a post is never signed above it.</summary>
    public long MaxFeePerGasWei { get; set; } = 500_000_000_000;

    /// <summary>Posts in flight (sent, not yet confirmed) before building the next batch waits.</summary>
    public int MaxPendingPosts { get; set; } = 8;

    /// <summary>Largest batch posted as calldata when DA is down (an L1 transaction is at most 128 KiB).</summary>
    public int CalldataMaxBatchBytes { get; set; } = 120_000;

    /// <summary>
    /// Every batch the batcher made, one line each (inside the data directory): with posting off, the record of what
    /// would have been posted; with posting on, what lets the same batches be posted again when L1 loses them.
    /// </summary>
    public string JournalFile { get; set; } = "batcher-journal.jsonl";
}
