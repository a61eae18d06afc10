using System.Numerics;
using Primitives;

namespace Sequencer.Transactions;

/// <summary>
/// A transaction decoded from its EIP-2718 wire form. <see cref="Data"/> and <see cref="ValueBytes"/>
/// are slices of <see cref="Raw"/>, not copies, so the raw bytes are kept alive as long as this is.
/// Created only by <see cref="TransactionDecoder"/>; <see cref="Sender"/> is set once by
/// <see cref="SenderRecovery"/> (through <see cref="TransactionValidator"/>) before the transaction
/// is handed to the sequencing core, and never changes afterwards.
/// </summary>
public sealed class DecodedTransaction
{
    private Address _sender;

    internal DecodedTransaction()
    {
    }

    /// <summary>The bytes as received: type byte + RLP for typed transactions, the RLP list for legacy.</summary>
    public required ReadOnlyMemory<byte> Raw { get; init; }

    /// <summary>keccak256(Raw): the transaction hash clients see.</summary>
    public required Hash32 Hash { get; init; }

    public required TxType Type { get; init; }

    /// <summary>From the typed payload, or derived from v (EIP-155) for legacy transactions.</summary>
    public required ulong ChainId { get; init; }

    public required ulong Nonce { get; init; }

    public required ulong GasLimit { get; init; }

    /// <summary>
    /// The gas price of legacy and EIP-2930 transactions; for EIP-1559 it is
    /// <see cref="MaxFeePerGas"/> (what a pending transaction shows as <c>gasPrice</c>).
    /// </summary>
    public required UInt128 GasPrice { get; init; }

    /// <summary>The fee cap; equal to the gas price for legacy and EIP-2930 transactions.</summary>
    public required UInt128 MaxFeePerGas { get; init; }

    /// <summary>The tip cap; equal to the gas price for legacy and EIP-2930 transactions.</summary>
    public required UInt128 MaxPriorityFeePerGas { get; init; }

    /// <summary>The recipient; null for a contract creation.</summary>
    public required Address? To { get; init; }

    public bool IsContractCreation => To is null;

    /// <summary>The value in wei as minimal big-endian bytes (empty for zero), at most 32 bytes.</summary>
    public required ReadOnlyMemory<byte> ValueBytes { get; init; }

    /// <summary>The value in wei. Allocates a BigInteger per call: for JSON, prefer <see cref="ValueBytes"/>.</summary>
    public BigInteger Value => new(ValueBytes.Span, isUnsigned: true, isBigEndian: true);

    /// <summary>Call data, or init code for a contract creation (JSON-RPC <c>input</c>).</summary>
    public required ReadOnlyMemory<byte> Data { get; init; }

    /// <summary>EIP-2930 access list; empty for legacy transactions.</summary>
    public required ReadOnlyMemory<AccessListEntry> AccessList { get; init; }

    public int AccessListAddressCount => AccessList.Length;

    public required int AccessListStorageKeyCount { get; init; }

    /// <summary>The signature's v as on the wire: chainId*2+35/36 for legacy, the y parity (0/1) for typed.</summary>
    public required ulong V { get; init; }

    /// <summary>The recovery id (0 or 1) for every type.</summary>
    public required byte YParity { get; init; }

    public required Hash32 R { get; init; }

    public required Hash32 S { get; init; }

    /// <summary>The hash the sender signed (EIP-155 or EIP-2718 signing payload).</summary>
    public required Hash32 SigningHash { get; init; }

    /// <summary>True once the sender has been recovered from the signature.</summary>
    public bool IsSenderRecovered { get; private set; }

    /// <summary>The recovered sender. Reading it before recovery is a programming error.</summary>
    public Address Sender => IsSenderRecovered
        ? _sender
        : throw new InvalidOperationException("the sender has not been recovered yet (validate the transaction first)");

    internal void SetSender(Address sender)
    {
        _sender = sender;
        IsSenderRecovered = true;
    }

    public override string ToString() => $"{Type} tx {Hash}";
}
