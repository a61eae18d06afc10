namespace Batcher.Pipeline;

/// <summary>What the batcher's last error came from: an error clears only when its own source recovers.</summary>
public enum BatcherErrorSource
{
    /// <summary>The batcher itself (a fault).</summary>
    Batcher,

    /// <summary>The DA layer (shown as "DA: …").</summary>
    Da,

    /// <summary>The L1 node or the inbox (shown as "L1: …").</summary>
    L1,
}
