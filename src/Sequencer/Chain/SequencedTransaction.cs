using Primitives;

namespace Sequencer.Chain;

/// <summary>A transaction the core has ordered: its place in the chain and what the confirmation signs.</summary>
internal sealed class SequencedTransaction(
    long sequence,
    Hash32 hash,
    byte[] raw,
    Address sender,
    ulong nonce,
    ulong gasLimit,
    ulong blockNumber,
    uint index,
    ulong timestamp,
    Hash32 accumulator)
{
    private byte[]? _signature;

    public long Sequence { get; } = sequence;

    public Hash32 Hash { get; } = hash;

    public byte[] Raw { get; } = raw;

    public Address Sender { get; } = sender;

    public ulong Nonce { get; } = nonce;

    public ulong GasLimit { get; } = gasLimit;

    public ulong BlockNumber { get; } = blockNumber;

    public uint Index { get; } = index;

    /// <summary>The block's timestamp (unix seconds).</summary>
    public ulong Timestamp { get; } = timestamp;

    /// <summary>Accumulator after this transaction.</summary>
    public Hash32 Accumulator { get; } = accumulator;

    /// <summary>The soft confirmation's signature once made; see <c>SoftConfirmationSigner.SignatureOf</c>.</summary>
    internal byte[]? Signature
    {
        get => Volatile.Read(ref _signature);
        set => Volatile.Write(ref _signature, value);
    }
}
