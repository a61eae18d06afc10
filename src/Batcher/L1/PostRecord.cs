namespace Batcher.L1;

/// <summary>
/// A batch commitment on its way to L1, as the checkpoint keeps it: written before the first
/// broadcast, so that after a restart the very same signed transaction (same nonce) is sent
/// again instead of a new one: no gap, and no second copy.
/// </summary>
public sealed class PostRecord
{
    public ulong BatchIndex { get; set; }

    public ulong FirstBlock { get; set; }

    public ulong LastBlock { get; set; }

    public string BatchHash { get; set; } = "";

    public string Commitment { get; set; } = "";

    public int BatchBytes { get; set; }

    public bool IsCalldata { get; set; }

    public ulong Nonce { get; set; }

    public ulong GasLimit { get; set; }

    /// <summary>Every version signed for this nonce, oldest first; any one of them may be the one that is mined.</summary>
    public List<SignedPost> Signed { get; set; } = [];

    /// <summary>Block the post was last seen mined in (null while pending or after it was reorged out).</summary>
    public ulong? MinedInBlock { get; set; }

    public string? MinedTxHash { get; set; }

    /// <summary>Whether <paramref name="hash"/> (as the inbox returns it) is this post's batch hash.</summary>
    public bool HasBatchHash(ReadOnlySpan<byte> hash) => 
        Convert.FromHexString(BatchHash.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? BatchHash.AsSpan(2) : BatchHash).AsSpan().SequenceEqual(hash);
}
