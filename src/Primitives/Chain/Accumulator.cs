namespace Primitives.Chain;

/// <summary>
/// The accumulator rule (docs/rpc.md, "Soft confirmations"): before sequence 0 it is 32 zero bytes,
/// and the accumulator of sequence s is keccak256(accumulator(s-1) ‖ txHash(s)). The core applies it
/// when it sequences, recovery when it replays the log, and <c>verify</c> when it re-derives the
/// chain from L1 and DA: one rule, so the three cannot drift apart.
/// </summary>
public static class Accumulator
{
    /// <summary>The accumulator before the first transaction.</summary>
    public static Hash32 Genesis => Hash32.Zero;

    /// <summary>keccak256(<paramref name="previous"/> ‖ <paramref name="transactionHash"/>).</summary>
    public static Hash32 Next(in Hash32 previous, in Hash32 transactionHash) =>
        Keccak.Hash(previous.Bytes, transactionHash.Bytes);

    /// <summary>The accumulator after the raw transaction <paramref name="rawTransaction"/> (its hash is keccak256 of it).</summary>
    public static Hash32 Next(in Hash32 previous, ReadOnlySpan<byte> rawTransaction) =>
        Next(previous, Keccak.Hash(rawTransaction));
}
