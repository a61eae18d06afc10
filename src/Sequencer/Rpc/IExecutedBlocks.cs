using System.Text.Json;

namespace Sequencer.Rpc;

/// <summary>
/// The execution node's blocks, when one is configured: then they are the chain clients are served (one hash per
/// block, the node's header hash, in blocks, receipts, newHeads and filters), and the sequencer's own block hash
/// rides along as <c>sequencerHash</c> (docs/execution.md, "Block hashes"). Numbers are the node's.
/// </summary>
internal interface IExecutedBlocks
{
    /// <summary>The newest executed block, in the node's numbers (what <c>eth_blockNumber</c> answers).</summary>
    ulong Head { get; }

    /// <summary>Completes once <see cref="Head"/> is at least <paramref name="number"/>; never, once execution stopped for good.</summary>
    ValueTask WaitForHeadAsync(ulong number, CancellationToken cancellationToken);

    /// <summary>
    /// The node's block <paramref name="number"/> with the sequencer's fields added, without its transaction list
    /// (a newHeads header); a JSON null when the node has no such block.
    /// </summary>
    Task<JsonElement> HeaderAsync(ulong number, CancellationToken cancellationToken);

    /// <summary>The logs of block <paramref name="number"/> (the node's <c>eth_getLogs</c> over that one block), a JSON array.</summary>
    Task<JsonElement> LogsAsync(ulong number, CancellationToken cancellationToken);
}
