namespace Sequencer.Transactions;

/// <summary>
/// Why a raw transaction was turned away. The numeric values are stable (they may be logged
/// and shown to clients); add new reasons at the end.
/// </summary>
public enum TxRejectionReason
{
    /// <summary>Not rejected.</summary>
    None = 0,

    /// <summary>The bytes are not a well-formed, canonical RLP transaction of the declared type.</summary>
    MalformedEncoding = 1,

    /// <summary>A typed envelope whose type byte is not 0x01 or 0x02 (blob, 7702, unknown).</summary>
    UnsupportedType = 2,

    /// <summary>A legacy transaction signed without a chain id (v = 27/28): replayable on any chain.</summary>
    MissingChainId = 3,

    /// <summary>A fee per gas above 2^128-1.</summary>
    FeeOutOfRange = 4,

    /// <summary>Signed for another chain.</summary>
    WrongChainId = 5,

    /// <summary>The encoded transaction is larger than the configured limit.</summary>
    TooLarge = 6,

    /// <summary>The gas limit is above the block gas limit: the transaction could never be included.</summary>
    GasLimitAboveBlockLimit = 7,

    /// <summary>The gas limit does not cover the intrinsic gas (base, calldata, creation, access list).</summary>
    IntrinsicGasTooLow = 8,

    /// <summary>Contract creation code above the EIP-3860 limit (49152 bytes).</summary>
    InitCodeTooLarge = 9,

    /// <summary>r, s or v outside their allowed ranges (zero, not below the curve order, bad v).</summary>
    InvalidSignature = 10,

    /// <summary>s in the upper half of the curve order (malleable; forbidden by EIP-2).</summary>
    SignatureHighS = 11,

    /// <summary>No public key can be recovered from the signature.</summary>
    SignatureUnrecoverable = 12,

    /// <summary>Max fee per gas is zero on the paid lane (zero-fee transactions use the sponsored lane).</summary>
    ZeroFee = 13,

    /// <summary>Max fee per gas is below the paid lane's minimum.</summary>
    FeeTooLow = 14,

    /// <summary>Max priority fee per gas is above max fee per gas.</summary>
    PriorityFeeAboveMaxFee = 15,

    /// <summary>The sender's balance on the execution node cannot cover gas × maxFeePerGas + value.</summary>
    InsufficientFunds = 16,

    /// <summary>The sender's balance is not known and the execution node cannot be asked right now (retryable).</summary>
    BalanceUnavailable = 17,
}
