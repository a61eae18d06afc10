namespace Batcher.Pipeline;

/// <summary>
/// Where L1 contradicts the batcher's records: <paramref name="Code"/> is a short tag for the metrics
/// (<c>inbox_missing</c>, <c>nonce_behind</c>, <c>inbox_behind</c>, <c>inbox_ahead</c>, <c>receipt_gone</c>,
/// <c>nonce_gap</c>, <c>post_superseded</c>, <c>start</c>), <paramref name="Message"/> says what disagrees, for the status and the log.
/// </summary>
public sealed record L1Disagreement(string Code, string Message);
