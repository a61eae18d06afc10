using Primitives;

namespace Batcher.Verification;

/// <summary>A batch as verify re-derived it: where its sequences start and the Merkle leaves of its transactions (docs/batch-format.md, "Transaction root").</summary>
public sealed record PublishedBatch(ulong BatchIndex, ulong FirstSequence, Hash32[] Leaves);
