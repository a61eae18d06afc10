using Batcher.L1;

namespace Batcher.Pipeline;

/// <summary>
/// A batch the batcher made that L1 does not hold (any more): posted again with the same index, blocks and
/// bytes. <paramref name="GivenUp"/> is its post that can never be mined (its signed input is reused);
/// otherwise <paramref name="Record"/> is its journal line.
/// </summary>
public sealed record LostBatch(ulong Index, BatchRecord? Record, PostRecord? GivenUp);
