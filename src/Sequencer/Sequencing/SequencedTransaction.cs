using Primitives;

namespace Sequencer.Sequencing;

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

    /// <summary>
    /// The soft confirmation's 65-byte signature, made once on first use. Signing is deterministic
    /// (RFC 6979), so a race that signs twice stores identical bytes.
    /// </summary>
    public byte[] GetSignature(SoftConfirmationSigner signer)
    {
        var signature = Volatile.Read(ref _signature);
        if (signature is null)
        {
            signature = signer.Sign(this);
            Volatile.Write(ref _signature, signature);
        }

        return signature;
    }
}
