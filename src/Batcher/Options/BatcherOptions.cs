namespace Batcher.Options;

/// <summary>The "Batcher" section of appsettings.json; defaults are repeated there.</summary>
public sealed class BatcherOptions
{
    public const string Section = "Batcher";

    public bool Enabled { get; set; } = true;

    /// <summary>L2 chain id written into every batch; 0 takes "Sequencer:ChainId".</summary>
    public ulong ChainId { get; set; }

    /// <summary>Where the checkpoint lives; empty takes "Sequencer:DataDirectory".</summary>
    public string DataDirectory { get; set; } = "";

    /// <summary>A batch closes once its raw transactions reach this many bytes (it must fit one DA blob).</summary>
    public int MaxBatchBytes { get; set; } = 1_000_000;

    /// <summary>A batch closes this long after its first block was taken, full or not.</summary>
    public int MaxBatchAgeMs { get; set; } = 2000;

    /// <summary>zstd level for the columnar body (docs/benchmarks-batch.md: 3 is smaller than Brotli 11 and far faster).</summary>
    public int CompressionLevel { get; set; } = 3;

    /// <summary>
    /// Batches encoded at once, ahead of the one being published (compression and hashing are the batcher's
    /// CPU cost; batches are independent once their blocks are chosen). One per core is the useful maximum.
    /// </summary>
    public int EncodeParallelism { get; set; } = 2;

    public string CheckpointFile { get; set; } = "batcher-checkpoint.json";

    /// <summary>DA failing for this long switches posting to L1 calldata.</summary>
    public int DaFailoverAfterMs { get; set; } = 30_000;

    /// <summary>Pause between DA attempts while it fails.</summary>
    public int DaRetryDelayMs { get; set; } = 1000;

    /// <summary>While failed over, DA health is probed this often; healthy means back to DA.</summary>
    public int DaRecoveryProbeMs { get; set; } = 10_000;

    public L1PostingOptions L1 { get; set; } = new();
}
