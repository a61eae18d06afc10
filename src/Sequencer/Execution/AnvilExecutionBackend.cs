using System.Text.Json;
using Primitives.Chain;
using Primitives;

namespace Sequencer.Execution;

/// <summary>
/// Executes on anvil started with automine off (<c>anvil --no-mining --order fifo</c>): per sealed block,
/// clear the pool, send its raw transactions in order, mine one block with the sealed block's timestamp,
/// then check the mined block holds exactly those transactions in that order.
/// </summary>
/// <remarks>
/// Block numbers: execution block = sequencer block + <c>BlockOffset</c> (0 by default: anvil's genesis
/// stands for the sequencer's genesis and every sealed block becomes exactly one anvil block).
/// Timestamps: anvil accepts a block with its parent's timestamp but not an earlier one, so the mined
/// timestamp is max(sealed timestamp, anvil head timestamp); with the sequencer's default genesis
/// timestamp 0 anvil's own genesis (its start time) is the floor and later blocks carry the sequencer's.
/// </remarks>
internal sealed partial class AnvilExecutionBackend(ExecutionNodeClient node, ulong blockOffset, ILogger<AnvilExecutionBackend> logger) : IExecutionBackend
{
    public async Task<ulong> GetLastExecutedAsync(CancellationToken cancellationToken)
    {
        var head = await HeadNumberAsync(cancellationToken).ConfigureAwait(false);
        return ExecutedBlockCheck.LastExecuted(head, blockOffset);
    }

    public async Task ExecuteAsync(SealedBlock block, CancellationToken cancellationToken)
    {
        var target = block.Number + blockOffset;
        var expected = ExecutedBlockCheck.TransactionHashes(block);
        var head = await HeadNumberAsync(cancellationToken).ConfigureAwait(false);
        if (ExecutedBlockCheck.IsAlreadyExecuted(head, target, block.Number))
        {
            await VerifyAsync(block.Number, target, expected, cancellationToken).ConfigureAwait(false);
            return;
        }

        var parent = await node.CallAsync("eth_getBlockByNumber", w => WriteBlockParams(w, head), cancellationToken).ConfigureAwait(false);
        var parentTimestamp = ReadQuantity(parent, "timestamp");

        // A previous attempt may have left transactions in the pool; a block must hold exactly the sealed ones.
        await node.CallAsync("anvil_dropAllTransactions", cancellationToken).ConfigureAwait(false);
        for (var i = 0; i < block.Transactions.Count; i++)
        {
            try
            {
                await node.CallAsync("eth_sendRawTransaction", cancellationToken, Hex.Encode(block.Transactions[i].Span)).ConfigureAwait(false);
            }
            catch (ExecutionNodeErrorException ex)
            {
                throw new ExecutionDivergedException(
                    $"anvil refused transaction {i} ({expected[i]}) of sequencer block {block.Number}: {ex.NodeMessage}");
            }
        }

        var timestamp = Math.Max(block.Timestamp, parentTimestamp);
        if (timestamp != block.Timestamp)
        {
            LogTimestampRaised(block.Number, block.Timestamp, timestamp);
        }

        try
        {
            await node.CallAsync("evm_mine", w =>
            {
                w.WriteStartArray();
                w.WriteStartObject();
                w.WriteNumber("timestamp"u8, timestamp);
                w.WriteNumber("blocks"u8, 1);
                w.WriteEndObject();
                w.WriteEndArray();
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (ExecutionNodeErrorException ex) when (ex.NodeMessage.Contains("timestamp", StringComparison.OrdinalIgnoreCase))
        {
            // A restarted anvil keeps its own clock floor (its restart time), above the timestamps of blocks
            // sealed while it was away: let it pick the timestamp; later blocks carry the sealed ones again.
            LogTimestampRefused(block.Number, timestamp, ex.NodeMessage);
            await node.CallAsync("evm_mine", cancellationToken).ConfigureAwait(false);
        }

        await VerifyAsync(block.Number, target, expected, cancellationToken).ConfigureAwait(false);
    }

    private async Task VerifyAsync(ulong sequencerNumber, ulong target, Hash32[] expected, CancellationToken cancellationToken)
    {
        var mined = await node.CallAsync("eth_getBlockByNumber", w => WriteBlockParams(w, target), cancellationToken).ConfigureAwait(false);
        ExecutedBlockCheck.Verify(mined, expected, target, sequencerNumber);
    }

    private async Task<ulong> HeadNumberAsync(CancellationToken cancellationToken)
    {
        var result = await node.CallAsync("eth_blockNumber", cancellationToken).ConfigureAwait(false);
        return ParseQuantity(result, "eth_blockNumber");
    }

    private static void WriteBlockParams(Utf8JsonWriter writer, ulong number)
    {
        writer.WriteStartArray();
        writer.WriteStringValue(Hex.EncodeQuantity(number));
        writer.WriteBooleanValue(false);
        writer.WriteEndArray();
    }

    private static ulong ReadQuantity(JsonElement block, string field) =>
        block.ValueKind == JsonValueKind.Object && block.TryGetProperty(field, out var value)
            ? ParseQuantity(value, field)
            : throw new ExecutionNodeUnavailableException($"the execution node's block has no {field}");

    internal static ulong ParseQuantity(JsonElement value, string what) =>
        value.ValueKind == JsonValueKind.String && Hex.TryParseQuantity(value.GetString(), out var number)
            ? number
            : throw new ExecutionNodeUnavailableException($"{what}: the execution node returned {RpcDescribe(value)}, not a quantity");

    private static string RpcDescribe(JsonElement value) => Rpc.RpcParams.Describe(value);

    [LoggerMessage(EventId = 601, Level = LogLevel.Information, Message = "Sequencer block {Number}: anvil refused timestamp {Timestamp} ({Reason}); mined with anvil's own")]
    private partial void LogTimestampRefused(ulong number, ulong timestamp, string reason);

    [LoggerMessage(EventId = 600, Level = LogLevel.Debug, Message = "Sequencer block {Number}: timestamp {SealedTimestamp} raised to {Used} to stay monotonic on the execution node")]
    private partial void LogTimestampRaised(ulong number, ulong sealedTimestamp, ulong used);
}
