namespace Sequencer.Sequencing;

/// <summary>
/// Whether this node may sequence: always in the single-node host (no role is given to the core); in a replica set only
/// while it leads (docs/replication.md). Asked for every write, on the caller's thread.
/// </summary>
internal interface IWriteRole
{
    /// <summary>True while this node leads its set and its lease is certainly alive.</summary>
    bool MaySequence { get; }

    /// <summary>The advertised URL of the leader this node follows, when one is known.</summary>
    string? LeaderUrl { get; }
}
