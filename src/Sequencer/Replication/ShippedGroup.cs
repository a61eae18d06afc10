namespace Sequencer.Replication;

/// <summary>One group commit of the leader, as it goes to every follower: its records' entries (<see cref="ReplicationWire"/>).</summary>
/// <param name="Epoch">The epoch the leader held when it committed the group.</param>
/// <param name="First">The first record's sequence.</param>
/// <param name="End">One past the last record's sequence.</param>
/// <param name="Entries">The records' wire entries, concatenated.</param>
internal sealed record ShippedGroup(long Epoch, long First, long End, ReadOnlyMemory<byte> Entries)
{
    public int Count => (int)(End - First);
}
