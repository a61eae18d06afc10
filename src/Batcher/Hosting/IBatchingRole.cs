namespace Batcher.Hosting;

/// <summary>
/// Whether this host may batch now. Absent in a single node (it always batches); in a replica set only the leader does,
/// so that two replicas never post under the one batcher key (docs/replication.md, "Batcher on the leader only").
/// </summary>
public interface IBatchingRole
{
    /// <summary>True while this host leads its set.</summary>
    bool MayBatch { get; }
}
