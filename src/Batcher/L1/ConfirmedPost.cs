namespace Batcher.L1;

/// <summary>
/// The newest post the batcher counts as confirmed, kept in the checkpoint so that a reorg deeper than the
/// confirmation depth, or an L1 reset, is noticed: its nonce must stay used and its receipt must stay there.
/// </summary>
public sealed record ConfirmedPost(ulong BatchIndex, ulong Nonce, string TxHash, ulong Block);
