using System.Buffers;
using System.Text.Json;
using Primitives;
using Sequencer.History;
using Sequencer.Rpc;

namespace Sequencer.Execution;

/// <summary>
/// The execution node's blocks as clients are served them: up to the last block the follower saw executed, each
/// with the sequencer's own fields added (<c>sequencerHash</c>, <c>sequencerAccumulator</c>, <c>firstSequence</c>)
/// so a block links to the ordering batches and <c>verify</c> commit to. <c>baseFeePerGas</c> is the sequencer's minimum
/// fee, the least a paid transaction pays here: the node runs with base fee 0 (so sponsored zero-fee transactions
/// execute), and clients derive their fees from this field (viem: 1.2 × base fee).
/// </summary>
internal sealed class ExecutedBlocks(ExecutionNodeClient node, ExecutionFollower follower, ChainStore store, ulong blockOffset, ulong minFeePerGas) : IExecutedBlocks
{
    private readonly string _baseFee = Hex.EncodeQuantity(minFeePerGas);

    public ulong BlockOffset => blockOffset;

    public ulong Head => follower.LastExecuted + blockOffset;

    public async ValueTask WaitForHeadAsync(ulong number, CancellationToken cancellationToken)
    {
        try
        {
            await follower.WaitForExecutedAsync(number < blockOffset ? 0 : number - blockOffset, cancellationToken).ConfigureAwait(false);
        }
        catch (ExecutionDivergedException)
        {
            // Execution stopped for good: the head never moves again.
            await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task<JsonElement> HeaderAsync(ulong number, CancellationToken cancellationToken)
    {
        var block = await BlockAsync("eth_getBlockByNumber", Hex.EncodeQuantity(number), full: false, cancellationToken).ConfigureAwait(false);
        return WithoutTransactions(block);
    }

    public Task<JsonElement> LogsAsync(ulong number, CancellationToken cancellationToken) =>
        node.CallAsync("eth_getLogs", writer =>
        {
            writer.WriteStartArray();
            writer.WriteStartObject();
            writer.WriteString("fromBlock"u8, Hex.EncodeQuantity(number));
            writer.WriteString("toBlock"u8, Hex.EncodeQuantity(number));
            writer.WriteEndObject();
            writer.WriteEndArray();
        }, cancellationToken);

    /// <summary>Calls the node for a block (by number or hash, as <paramref name="method"/> says) and adds the sequencer's fields.</summary>
    public async Task<JsonElement> BlockAsync(string method, string blockId, bool full, CancellationToken cancellationToken)
    {
        var block = await node.CallAsync(method, writer =>
        {
            writer.WriteStartArray();
            writer.WriteStringValue(blockId);
            writer.WriteBooleanValue(full);
            writer.WriteEndArray();
        }, cancellationToken).ConfigureAwait(false);
        return WithSequencerFields(block);
    }

    /// <summary>The node's block with the sequencer block of the same position's hash, accumulator and first sequence.</summary>
    public JsonElement WithSequencerFields(JsonElement block) => Rewrite(block, withTransactions: true, addSequencerFields: true);

    /// <summary>A header as newHeads carries it (geth): the block without its transaction list.</summary>
    private JsonElement WithoutTransactions(JsonElement block) => Rewrite(block, withTransactions: false, addSequencerFields: false);

    private JsonElement Rewrite(JsonElement block, bool withTransactions, bool addSequencerFields)
    {
        if (block.ValueKind != JsonValueKind.Object)
        {
            return block;
        }

        var sequencerBlock = addSequencerFields && block.TryGetProperty("number"u8, out var n) && n.ValueKind == JsonValueKind.String &&
                             Hex.TryParseQuantity(n.GetString(), out var number) && number >= blockOffset
            ? store.GetBlock(number - blockOffset)
            : null;
        var buffer = new ArrayBufferWriter<byte>(2048);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var property in block.EnumerateObject())
            {
                if (!withTransactions && property.NameEquals("transactions"u8))
                {
                    continue;
                }

                if (property.NameEquals("baseFeePerGas"u8))
                {
                    writer.WriteString("baseFeePerGas"u8, _baseFee);
                    continue;
                }

                property.WriteTo(writer);
            }

            if (sequencerBlock is { IsSealed: true })
            {
                writer.WriteString("sequencerHash"u8, sequencerBlock.Hash.ToString());
                writer.WriteString("sequencerAccumulator"u8, sequencerBlock.Accumulator.ToString());
                writer.WriteString("firstSequence"u8, Hex.EncodeQuantity((ulong)sequencerBlock.FirstSequence));
            }

            writer.WriteEndObject();
        }

        using var document = JsonDocument.Parse(buffer.WrittenMemory);
        return document.RootElement.Clone();
    }
}
