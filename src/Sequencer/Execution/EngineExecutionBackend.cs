using System.Text.Json;
using Primitives.Chain;
using Primitives;

namespace Sequencer.Execution;

/// <summary>
/// Executes through the Engine API, with the payload attributes carrying the block's transactions
/// (OP Stack style: <c>transactions</c> + <c>noTxPool</c>, as op-geth accepts them):
/// forkchoiceUpdatedV3(head, attributes) → getPayloadV3 → check the payload's transactions →
/// newPayloadV3 → forkchoiceUpdatedV3(new head).
/// </summary>
/// <remarks>
/// VALID moves on; SYNCING and ACCEPTED mean "not now" and are retried; INVALID is a divergence and stops
/// execution. Timestamps must rise strictly on an Engine API chain, so a block gets
/// max(sealed timestamp, parent timestamp + 1). Block numbers map as for anvil (sequencer + BlockOffset).
/// </remarks>
internal sealed class EngineExecutionBackend(ExecutionNodeClient engine, ulong blockOffset, string feeRecipient, ulong gasLimit) : IExecutionBackend, IDisposable
{
    private static readonly string ZeroHash = Hash32.Zero.ToString();

    public async Task<ulong> GetLastExecutedAsync(CancellationToken cancellationToken)
    {
        var head = await GetBlockAsync("latest", cancellationToken).ConfigureAwait(false);
        var number = AnvilExecutionBackend.ParseQuantity(head.GetProperty("number"u8), "head number");
        return ExecutedBlockCheck.LastExecuted(number, blockOffset);
    }

    public async Task ExecuteAsync(SealedBlock block, CancellationToken cancellationToken)
    {
        var target = block.Number + blockOffset;
        var expected = ExecutedBlockCheck.TransactionHashes(block);
        var head = await GetBlockAsync("latest", cancellationToken).ConfigureAwait(false);
        var headNumber = AnvilExecutionBackend.ParseQuantity(head.GetProperty("number"u8), "head number");
        if (ExecutedBlockCheck.IsAlreadyExecuted(headNumber, target, block.Number))
        {
            var existing = await GetBlockAsync(Hex.EncodeQuantity(target), cancellationToken).ConfigureAwait(false);
            ExecutedBlockCheck.Verify(existing, expected, target, block.Number);
            return;
        }

        var headHash = head.GetProperty("hash"u8).GetString()!;
        var parentTimestamp = AnvilExecutionBackend.ParseQuantity(head.GetProperty("timestamp"u8), "head timestamp");
        var timestamp = Math.Max(block.Timestamp, parentTimestamp + 1);

        var started = await engine.CallAsync("engine_forkchoiceUpdatedV3", w =>
        {
            w.WriteStartArray();
            WriteForkchoice(w, headHash);
            w.WriteStartObject();
            w.WriteString("timestamp"u8, Hex.EncodeQuantity(timestamp));
            w.WriteString("prevRandao"u8, ZeroHash);
            w.WriteString("suggestedFeeRecipient"u8, feeRecipient);
            w.WriteStartArray("withdrawals"u8);
            w.WriteEndArray();
            w.WriteString("parentBeaconBlockRoot"u8, ZeroHash);
            w.WriteStartArray("transactions"u8);
            foreach (var raw in block.Transactions)
            {
                w.WriteStringValue(Hex.Encode(raw.Span));
            }

            w.WriteEndArray();
            w.WriteBoolean("noTxPool"u8, true);
            w.WriteString("gasLimit"u8, Hex.EncodeQuantity(gasLimit));
            w.WriteEndObject();
            w.WriteEndArray();
        }, cancellationToken).ConfigureAwait(false);
        CheckStatus(started.GetProperty("payloadStatus"u8), "engine_forkchoiceUpdatedV3", block.Number);
        if (!started.TryGetProperty("payloadId"u8, out var payloadId) || payloadId.ValueKind != JsonValueKind.String)
        {
            throw new ExecutionNodeUnavailableException($"engine_forkchoiceUpdatedV3 for sequencer block {block.Number} returned no payloadId");
        }

        var built = await engine.CallAsync("engine_getPayloadV3", cancellationToken, payloadId.GetString()!).ConfigureAwait(false);
        var payload = built.GetProperty("executionPayload"u8);
        if (PayloadDifference(payload.GetProperty("transactions"u8), block) is { } difference)
        {
            throw new ExecutionDivergedException($"the payload built for sequencer block {block.Number} differs: {difference}");
        }

        var imported = await engine.CallAsync("engine_newPayloadV3", w =>
        {
            w.WriteStartArray();
            payload.WriteTo(w);
            w.WriteStartArray();
            w.WriteEndArray();
            w.WriteStringValue(ZeroHash);
            w.WriteEndArray();
        }, cancellationToken).ConfigureAwait(false);
        CheckStatus(imported, "engine_newPayloadV3", block.Number);

        var newHead = payload.GetProperty("blockHash"u8).GetString()!;
        var moved = await engine.CallAsync("engine_forkchoiceUpdatedV3", w =>
        {
            w.WriteStartArray();
            WriteForkchoice(w, newHead);
            w.WriteNullValue();
            w.WriteEndArray();
        }, cancellationToken).ConfigureAwait(false);
        CheckStatus(moved.GetProperty("payloadStatus"u8), "engine_forkchoiceUpdatedV3", block.Number);
    }

    private async Task<JsonElement> GetBlockAsync(string tag, CancellationToken cancellationToken)
    {
        var block = await engine.CallAsync("eth_getBlockByNumber", w =>
        {
            w.WriteStartArray();
            w.WriteStringValue(tag);
            w.WriteBooleanValue(false);
            w.WriteEndArray();
        }, cancellationToken).ConfigureAwait(false);
        return block.ValueKind == JsonValueKind.Object
            ? block
            : throw new ExecutionResumePointMovedException($"the execution node has no block {tag}");
    }

    public void Dispose() => engine.Dispose();

    private static void WriteForkchoice(Utf8JsonWriter w, string head)
    {
        // The sequencer's blocks are final once sealed and durable, so safe and finalized follow the head.
        w.WriteStartObject();
        w.WriteString("headBlockHash"u8, head);
        w.WriteString("safeBlockHash"u8, head);
        w.WriteString("finalizedBlockHash"u8, head);
        w.WriteEndObject();
    }

    private static void CheckStatus(JsonElement status, string method, ulong number)
    {
        var value = status.TryGetProperty("status"u8, out var s) ? s.GetString() : null;
        switch (value)
        {
            case "VALID":
                return;
            case "SYNCING" or "ACCEPTED":
                throw new ExecutionNodeUnavailableException($"{method} for sequencer block {number}: the node is {value}; retrying");
            case "INVALID" or "INVALID_BLOCK_HASH":
                var reason = status.TryGetProperty("validationError"u8, out var e) && e.ValueKind == JsonValueKind.String ? e.GetString() : "no reason given";
                throw new ExecutionDivergedException($"{method} for sequencer block {number}: {value}: {reason}");
            default:
                throw new ExecutionNodeUnavailableException($"{method} for sequencer block {number}: unexpected status {value ?? "(none)"}");
        }
    }

    private static string? PayloadDifference(JsonElement transactions, SealedBlock block)
    {
        if (transactions.ValueKind != JsonValueKind.Array || transactions.GetArrayLength() != block.Transactions.Count)
        {
            return $"it holds {(transactions.ValueKind == JsonValueKind.Array ? transactions.GetArrayLength() : 0)} transactions, the sealed block {block.Transactions.Count}";
        }

        var i = 0;
        foreach (var item in transactions.EnumerateArray())
        {
            var bytes = item.ValueKind == JsonValueKind.String ? Hex.TryDecode(item.GetString()) : null;
            if (bytes is null || !bytes.AsSpan().SequenceEqual(block.Transactions[i].Span))
            {
                return $"transaction {i} is not the sealed block's";
            }

            i++;
        }

        return null;
    }
}
