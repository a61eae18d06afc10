namespace Sequencer.History;

/// <summary>Where a chunk ends: the record after its last one, and the block and write state there.</summary>
/// <param name="Sequence">The first sequence after the chunk.</param>
/// <param name="Segment">The segment (its first sequence) holding, or about to hold, that record.</param>
/// <param name="Offset">Where that record starts in the segment.</param>
/// <param name="LastWriteEnd">The write end stamped on the record before it (-1 when none).</param>
internal readonly record struct LogPosition(long Sequence, long Segment, long Offset, long LastWriteEnd);
