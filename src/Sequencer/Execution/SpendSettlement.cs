using System.Text.Json;
using Admission.Limits;
using Admission.Spending;
using Primitives;

namespace Sequencer.Execution;

/// <summary>
/// Settles wei budget reservations (docs/admission.md "Budgets in wei") from the execution node's receipts: for every
/// executed block that holds recorded reservations, one <c>eth_getBlockReceipts</c>, then each transaction is charged
/// gasUsed × the sequencer's price (the <c>baseFeePerGas</c> its blocks report; the node's own receipt says
/// <c>effectiveGasPrice</c> 0 because a sponsored transaction carries no fee) and the rest of its reservation is released.
/// The store's pending list is the work list, not a cursor here: after a restart, or a reservation recorded after its
/// block was executed, the next pass finds it, and settling twice changes nothing.
/// </summary>
internal sealed partial class SpendSettlement(
    SpendLedger ledger, ExecutionNodeClient node, ExecutionFollower follower, ulong blockOffset, TimeSpan retryDelay, ILogger<SpendSettlement> logger) : BackgroundService
{
    private const int BatchSize = 256;

    /// <summary>A reservation recorded after its block was executed waits at most this long for the next pass.</summary>
    private static readonly TimeSpan IdlePass = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!ledger.Settles)
        {
            return;
        }

        await Task.Yield();
        while (!stoppingToken.IsCancellationRequested)
        {
            var executed = follower.LastExecuted;
            try
            {
                if (await SettleUpToAsync(executed, stoppingToken).ConfigureAwait(false))
                {
                    continue;
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is RateLimitStoreUnavailableException or ExecutionNodeUnavailableException or ExecutionNodeErrorException)
            {
                LogRetry(ex.Message);
                await Task.Delay(retryDelay, stoppingToken).ConfigureAwait(false);
                continue;
            }

            using var idle = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            idle.CancelAfter(IdlePass);
            try
            {
                await follower.WaitForExecutedAsync(executed + 1, idle.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
            {
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (ExecutionDivergedException)
            {
                // Execution stopped for good: no more receipts; reservations stay charged in full.
                return;
            }
        }
    }

    /// <summary>Settles what is pending in executed blocks; false when nothing was.</summary>
    private async Task<bool> SettleUpToAsync(ulong executed, CancellationToken cancellationToken)
    {
        var pending = await ledger.PendingAsync(executed, BatchSize, cancellationToken).ConfigureAwait(false);
        if (pending.Count == 0)
        {
            return false;
        }

        Dictionary<string, ulong>? receipts = null;
        var block = ulong.MaxValue;
        foreach (var spend in pending)
        {
            if (spend.BlockNumber != block)
            {
                block = spend.BlockNumber;
                receipts = await GasUsedAsync(block + blockOffset, cancellationToken).ConfigureAwait(false);
            }

            ulong? gasUsed = receipts!.TryGetValue(spend.TxHash, out var used) ? used : null;
            if (gasUsed is null)
            {
                LogNoReceipt(spend.TxHash, block);
            }

            await ledger.SettleAsync(spend.TxHash, gasUsed, ledger.Price.PriceWei, cancellationToken).ConfigureAwait(false);
        }

        return true;
    }

    private async Task<Dictionary<string, ulong>> GasUsedAsync(ulong number, CancellationToken cancellationToken)
    {
        var receipts = await node.CallAsync("eth_getBlockReceipts", w =>
        {
            w.WriteStartArray();
            w.WriteStringValue(Hex.EncodeQuantity(number));
            w.WriteEndArray();
        }, cancellationToken).ConfigureAwait(false);
        var gasUsed = new Dictionary<string, ulong>(StringComparer.OrdinalIgnoreCase);
        if (receipts.ValueKind != JsonValueKind.Array)
        {
            return gasUsed;
        }

        foreach (var receipt in receipts.EnumerateArray())
        {
            if (receipt.TryGetProperty("transactionHash"u8, out var hash) && hash.GetString() is { } text &&
                receipt.TryGetProperty("gasUsed"u8, out var used) && Hex.TryParseQuantity(used.GetString(), out var gas))
            {
                gasUsed[text] = gas;
            }
        }

        return gasUsed;
    }

    [LoggerMessage(EventId = 620, Level = LogLevel.Warning, Message = "Spend settlement waits: {Reason}")]
    private partial void LogRetry(string reason);

    [LoggerMessage(EventId = 621, Level = LogLevel.Warning, Message = "No receipt for sponsored transaction {TxHash} in executed sequencer block {Block}: its whole reservation stays charged")]
    private partial void LogNoReceipt(string txHash, ulong block);
}
