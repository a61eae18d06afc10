using System.Text.Json;
using Microsoft.Extensions.Options;
using Sequencer.Options;
using Primitives;
using Sequencer.Rpc;
using Sequencer.Submission;
using Sequencer.Transactions;
using Sequencer.History;

namespace Sequencer.Execution;

/// <summary>
/// The methods answered with the execution node's state: reads proxied as they are, receipts only once
/// the sequencer has seen the block executed, and <c>eth_sendRawTransactionSync</c> (EIP-7966).
/// Block reads and transaction lookups stay with the sequencer (EthRpcModule).
/// </summary>
internal sealed class ExecutionRpcModule(
    ExecutionNodeClient node,
    ExecutionFollower follower,
    ChainStore store,
    TransactionSubmitter submitter,
    ExecutionMetrics metrics,
    IOptions<ExecutionOptions> executionOptions,
    IOptions<SequencerOptions> sequencerOptions,
    IHostEnvironment environment) : IRpcModule
{
    /// <summary>EIP-7966: the transaction was accepted but no receipt came within the timeout.</summary>
    public const int SyncTimeoutCode = 4;

    /// <summary>
    /// Read methods forwarded to the execution node unchanged. The fee methods are not among them: fees are the
    /// sequencer's (FeeRpcModule), whose minimum fee the node's base fee never exceeds (docs/execution.md).
    /// </summary>
    public static readonly string[] ProxiedMethods =
    [
        "eth_call", "eth_estimateGas", "eth_getBalance", "eth_getCode", "eth_getStorageAt", "eth_getLogs",
        "eth_createAccessList", "eth_getProof", "eth_blobBaseFee",
    ];

    /// <summary>
    /// Funding in development: anvil's own method to set an account's balance, forwarded only with anvil and only in the
    /// Development environment (docs/operations.md, "Accounts with money in development"); never in production.
    /// </summary>
    public static readonly string[] DevelopmentAnvilMethods = ["anvil_setBalance"];

    private readonly ExecutionOptions _options = executionOptions.Value;
    private readonly int _queueWaitMs = sequencerOptions.Value.QueueWaitMs;

    public void Register(RpcMethodTable table)
    {
        foreach (var method in ProxiedMethods)
        {
            table.Add(method, call => ProxyAsync(method, call));
        }

        if (_options.Kind == ExecutionKind.Anvil && environment.IsDevelopment())
        {
            foreach (var method in DevelopmentAnvilMethods)
            {
                table.Add(method, call => ProxyAsync(method, call));
            }
        }

        table.Add("eth_getTransactionReceipt", GetTransactionReceiptAsync);
        table.Add("eth_sendRawTransactionSync", SendRawTransactionSyncAsync);
    }

    private async ValueTask<RpcResult> ProxyAsync(string method, RpcCall call)
    {
        if (call.Params.IsObject)
        {
            return RpcError.InvalidParams("params must be an array (positional)");
        }

        try
        {
            var result = await node.CallAsync(method, call.Params.Raw, call.Aborted).ConfigureAwait(false);
            return Pass(result);
        }
        catch (Exception ex) when (ex is ExecutionNodeUnavailableException or ExecutionNodeErrorException)
        {
            return NodeFailure(ex, method, metrics);
        }
    }

    private async ValueTask<RpcResult> GetTransactionReceiptAsync(RpcCall call)
    {
        if (RpcParams.FirstError(call.Params.ExpectAtMost(1), call.Params.GetHash(0, "transaction hash", out var hash)) is { } error)
        {
            return error;
        }

        var tx = store.GetTransaction(hash);
        if (tx is null)
        {
            return RpcResult.Null;
        }

        if (tx.BlockNumber > follower.LastExecuted && !await WaitForExecutionAsync(tx.BlockNumber, call.Aborted).ConfigureAwait(false))
        {
            // Like any node: no receipt until the transaction's block has been executed.
            return RpcResult.Null;
        }

        return await ReceiptAsync(hash, call.Aborted).ConfigureAwait(false);
    }

    private async ValueTask<RpcResult> SendRawTransactionSyncAsync(RpcCall call)
    {
        if (RpcParams.FirstError(call.Params.ExpectAtMost(2), call.Params.GetData(0, "transaction", out var raw)) is { } error)
        {
            return error;
        }

        var timeoutMs = TimeoutOf(call.Params);
        var started = TimeProvider.System.GetTimestamp();
        var outcome = await submitter.SubmitAsync(raw, TxLane.Paid, call.Aborted).ConfigureAwait(false);
        if (SubmissionErrors.From(outcome, _queueWaitMs) is { } refused)
        {
            return refused;
        }

        var tx = outcome.Confirmed!;
        var left = TimeSpan.FromMilliseconds(timeoutMs) - TimeProvider.System.GetElapsedTime(started);
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(call.Aborted);
            timeout.CancelAfter(left > TimeSpan.Zero ? left : TimeSpan.Zero);
            await follower.WaitForExecutedAsync(tx.BlockNumber, timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!call.Aborted.IsCancellationRequested)
        {
            return new RpcError(SyncTimeoutCode, $"the transaction was sequenced but not executed within {timeoutMs} ms; poll eth_getTransactionReceipt")
            {
                RawData = JsonSerializer.SerializeToElement(tx.Hash.ToString(), ExecutionJsonContext.Default.String),
            };
        }
        catch (ExecutionDivergedException)
        {
            return new RpcError(RpcErrorCodes.Internal, "execution stopped (the execution node diverged); the transaction is sequenced but has no receipt");
        }

        return await ReceiptAsync(tx.Hash, call.Aborted).ConfigureAwait(false);
    }

    /// <summary>
    /// Clients that saw the transaction in a block from eth_getBlockByNumber ask for its receipt and expect
    /// one (cast fails on null), so a receipt request for a sequenced but not yet executed transaction waits
    /// up to ReceiptWaitMs for execution (also while the node is away: it may be coming back), then null.
    /// </summary>
    private async ValueTask<bool> WaitForExecutionAsync(ulong block, CancellationToken aborted)
    {
        if (_options.ReceiptWaitMs == 0 || follower.Failure is not null)
        {
            return false;
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(aborted);
        timeout.CancelAfter(_options.ReceiptWaitMs);
        try
        {
            await follower.WaitForExecutedAsync(block, timeout.Token).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException) when (!aborted.IsCancellationRequested)
        {
            return false;
        }
        catch (ExecutionDivergedException)
        {
            return false;
        }
    }

    /// <summary>EIP-7966: a caller's timeout (number or hex quantity) if positive and within the maximum, else the default.</summary>
    private int TimeoutOf(RpcParams parameters)
    {
        if (!parameters.Has(1))
        {
            return _options.SyncTimeoutMs;
        }

        var value = parameters.Raw[1];
        ulong requested = 0;
        var valid = value.ValueKind switch
        {
            JsonValueKind.Number => value.TryGetUInt64(out requested),
            JsonValueKind.String => Hex.TryParseQuantity(value.GetString(), out requested),
            _ => false,
        };
        return valid && requested > 0 && requested <= (ulong)_options.MaxSyncTimeoutMs ? (int)requested : _options.SyncTimeoutMs;
    }

    private async ValueTask<RpcResult> ReceiptAsync(Hash32 hash, CancellationToken cancellationToken)
    {
        try
        {
            var receipt = await node.CallAsync("eth_getTransactionReceipt", cancellationToken, hash.ToString()).ConfigureAwait(false);
            return Pass(receipt);
        }
        catch (Exception ex) when (ex is ExecutionNodeUnavailableException or ExecutionNodeErrorException)
        {
            return NodeFailure(ex, "eth_getTransactionReceipt", metrics);
        }
    }

    internal static RpcResult Pass(JsonElement result) =>
        result.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined
            ? RpcResult.Null
            : RpcResult.Object(result, ExecutionJsonContext.Default.JsonElement);

    internal static RpcResult NodeFailure(Exception ex, string method, ExecutionMetrics metrics)
    {
        if (ex is ExecutionNodeErrorException nodeError)
        {
            // The node's own answer (e.g. "execution reverted" with revert data) is what clients decode.
            return new RpcError(nodeError.Code, nodeError.NodeMessage) { RawData = nodeError.ErrorData };
        }

        metrics.NodeError(method);
        return new RpcError(RpcErrorCodes.Internal, "execution node unavailable: " + ex.Message);
    }
}
