using Microsoft.Extensions.Options;

namespace Sequencer.Transactions;

/// <summary>
/// Stateless checks on a decoded transaction: size, chain id, signature values, gas, fees, and
/// finally sender recovery (the expensive step, so it runs last). Returns a value, never
/// throws for bad input. Nonces and balances are not checked here (nonce book / execution).
/// Thread-safe.
/// </summary>
public sealed class TransactionValidator
{
    /// <summary>EIP-3860: init code above this many bytes is invalid.</summary>
    public const int MaxInitCodeSize = 49_152;

    private readonly ulong _chainId;
    private readonly int _maxEncodedSize;
    private readonly ulong _blockGasLimit;
    private readonly UInt128 _minFeePerGas;

    public TransactionValidator(IOptions<TransactionValidationOptions> options)
        : this(options.Value)
    {
    }

    public TransactionValidator(TransactionValidationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _chainId = options.ChainId;
        _maxEncodedSize = options.MaxEncodedSize;
        _blockGasLimit = options.BlockGasLimit;
        _minFeePerGas = options.MinFeePerGasWei;
    }

    public ulong ChainId => _chainId;

    /// <summary>The size check alone, to run before spending any time on decoding.</summary>
    public TxRejection CheckSize(int encodedLength) =>
        encodedLength > _maxEncodedSize
            ? new TxRejection(TxRejectionReason.TooLarge, $"oversized data: transaction size {encodedLength} bytes, limit {_maxEncodedSize} (Sequencer:Transactions:MaxEncodedBytes)")
            : TxRejection.None;

    /// <summary>
    /// Checks <paramref name="tx"/> and, when every check passes, recovers and records its sender.
    /// </summary>
    public TxRejection Validate(DecodedTransaction tx, TxLane lane = TxLane.Paid)
    {
        ArgumentNullException.ThrowIfNull(tx);
        var rejection = CheckSize(tx.Raw.Length);
        if (rejection.IsRejected)
        {
            return rejection;
        }

        if (tx.ChainId != _chainId)
        {
            return new TxRejection(TxRejectionReason.WrongChainId, $"invalid chain id for signer: have {tx.ChainId}, want {_chainId}");
        }

        rejection = SignatureRange.Check(tx.R, tx.S);
        if (rejection.IsRejected)
        {
            return rejection;
        }

        rejection = CheckGas(tx.GasLimit, tx.IsContractCreation, tx.Data.Span, IntrinsicGas.Of(tx));
        if (rejection.IsRejected)
        {
            return rejection;
        }

        rejection = CheckFees(tx, lane);
        if (rejection.IsRejected)
        {
            return rejection;
        }

        return SenderRecovery.TryRecover(tx)
            ? TxRejection.None
            : new TxRejection(TxRejectionReason.SignatureUnrecoverable, "invalid signature: no sender can be recovered from it");
    }

    /// <summary>
    /// The checks that can fail for a sponsored transaction the sequencer built and signed itself (size and gas, in
    /// the order and with the messages of <see cref="Validate"/>): its chain id, signature and zero fees are right by
    /// construction, and its sender is known, so nothing is decoded or recovered.
    /// </summary>
    public TxRejection ValidateSponsored(int encodedLength, ulong gasLimit, ReadOnlySpan<byte> data)
    {
        var rejection = CheckSize(encodedLength);
        return rejection.IsRejected ? rejection : CheckGas(gasLimit, isContractCreation: false, data, IntrinsicGas.Of(data, false, 0, 0));
    }

    private TxRejection CheckGas(ulong gasLimit, bool isContractCreation, ReadOnlySpan<byte> data, ulong intrinsic)
    {
        if (gasLimit > _blockGasLimit)
        {
            return new TxRejection(
                TxRejectionReason.GasLimitAboveBlockLimit,
                $"exceeds block gas limit: gas limit {gasLimit}, block gas limit {_blockGasLimit}");
        }

        if (isContractCreation && data.Length > MaxInitCodeSize)
        {
            return new TxRejection(
                TxRejectionReason.InitCodeTooLarge,
                $"init code too large: {data.Length} bytes (limit {MaxInitCodeSize}, EIP-3860)");
        }

        return gasLimit < intrinsic
            ? new TxRejection(TxRejectionReason.IntrinsicGasTooLow, $"intrinsic gas too low: gas {gasLimit}, minimum needed {intrinsic}")
            : TxRejection.None;
    }

    private TxRejection CheckFees(DecodedTransaction tx, TxLane lane)
    {
        if (tx.MaxPriorityFeePerGas > tx.MaxFeePerGas)
        {
            return new TxRejection(
                TxRejectionReason.PriorityFeeAboveMaxFee,
                $"max priority fee per gas higher than max fee per gas: maxPriorityFeePerGas: {tx.MaxPriorityFeePerGas}, maxFeePerGas: {tx.MaxFeePerGas}");
        }

        if (lane == TxLane.Sponsored)
        {
            return TxRejection.None;
        }

        if (tx.MaxFeePerGas == UInt128.Zero)
        {
            return new TxRejection(TxRejectionReason.ZeroFee, "zero-fee transactions are only accepted on the sponsored lane");
        }

        return tx.MaxFeePerGas < _minFeePerGas
            ? new TxRejection(
                TxRejectionReason.FeeTooLow,
                $"max fee per gas less than block base fee: maxFeePerGas: {tx.MaxFeePerGas}, baseFee: {_minFeePerGas} (the sequencer's minimum fee; eth_gasPrice)")
            : TxRejection.None;
    }
}
