using Microsoft.IO;

namespace Sequencer.Rpc;

/// <summary>
/// The pool that JSON-RPC replies are written into (HTTP and WebSocket). A reply takes pooled blocks as it
/// grows, instead of a contiguous array that doubles (and copies) on the way, and a WebSocket sends the
/// blocks as frames without copying them. What the pool keeps for reuse is bounded.
/// </summary>
internal static class ReplyBuffers
{
    public static RecyclableMemoryStreamManager Create() => new(new RecyclableMemoryStreamManager.Options
    {
        // Below the 85,000-byte large-object threshold: blocks the pool does not keep die young, in gen0.
        BlockSize = 64 * 1024,
        // One value written at once that is larger than a block (a large transaction's input) goes
        // through a temporary buffer of a multiple of this.
        LargeBufferMultiple = 1024 * 1024,
        MaximumBufferSize = 4 * 1024 * 1024,
        MaximumSmallPoolFreeBytes = 8 * 1024 * 1024,
        MaximumLargePoolFreeBytes = 4 * 1024 * 1024,
    });
}
