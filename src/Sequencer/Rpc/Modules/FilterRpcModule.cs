using System.Buffers;
using System.Text.Json;
using Primitives;
using Sequencer.History;
using Sequencer.Rpc.Filters;

namespace Sequencer.Rpc.Modules;

/// <summary>
/// Polling filters (ethers' <c>contract.on</c> and <c>provider.on("block")</c> over HTTP use them): new blocks, new
/// confirmed transactions, and logs, which come from the execution node's eth_getLogs. Bounded and expiring
/// (<see cref="PollFilters"/>); docs/rpc.md, "Filters".
/// </summary>
internal sealed class FilterRpcModule(ChainStore store, PollFilters filters, IServiceProvider services) : IRpcModule
{
    /// <summary>Most block or transaction hashes one poll returns; a filter polled less often skips to the newest.</summary>
    public const int MaxChanges = 10_000;

    private static readonly RpcError NoLogs = RpcError.InvalidInput(
        "log filters need an execution node (logs come from execution): set Sequencer:Execution:Kind to anvil or engine (docs/execution.md)");

    /// <summary>With an execution node, blocks and logs are reported as far as the node executed them, with its hashes.</summary>
    private readonly IExecutedBlocks? _executed = services.GetService<IExecutedBlocks>();

    private ulong Latest => _executed?.Head ?? store.LatestBlockNumber;

    public void Register(RpcMethodTable table)
    {
        table.Add("eth_newBlockFilter", call => Sync(New(call, FilterKind.Blocks, null)));
        table.Add("eth_newPendingTransactionFilter", call => Sync(New(call, FilterKind.PendingTransactions, null)));
        table.Add("eth_newFilter", NewLogFilter);
        table.Add("eth_getFilterChanges", GetChangesAsync);
        table.Add("eth_getFilterLogs", GetLogsAsync);
        table.Add("eth_uninstallFilter", call => Sync(Id(call.Params, 1, out var id) is { } error ? error : RpcResult.Boolean(filters.Remove(id))));
    }

    private static ValueTask<RpcResult> Sync(RpcResult result) => ValueTask.FromResult(result);

    private ValueTask<RpcResult> NewLogFilter(RpcCall call)
    {
        if (RpcParams.FirstError(call.Params.ExpectAtMost(1), call.Params.Get(0, "filter criteria", out var criteria)) is { } error)
        {
            return Sync(error);
        }

        if (criteria.ValueKind != JsonValueKind.Object)
        {
            return Sync(RpcError.InvalidParams($"filter criteria must be an object, got {RpcParams.Describe(criteria)}"));
        }

        // Logs exist only where blocks are executed (eth_getLogs is registered either way: without a node it says so).
        return Sync(_executed is not null ? New(call, FilterKind.Logs, criteria.Clone()) : NoLogs);
    }

    private RpcResult New(RpcCall call, FilterKind kind, JsonElement? criteria)
    {
        if (criteria is null && call.Params.ExpectAtMost(0) is { } error)
        {
            return error;
        }

        var id = filters.Add(kind, Latest + 1, store.DurableEnd, criteria);
        return id is null
            ? RpcError.Limit($"too many filters: {PollFilters.MaxFilters} are installed; uninstall some or let them expire", "filters_full", 60_000)
            : RpcResult.String(id);
    }

    private async ValueTask<RpcResult> GetChangesAsync(RpcCall call)
    {
        if (Find(call.Params, out var filter) is { } error)
        {
            return error;
        }

        await filter.Gate.WaitAsync(call.Aborted).ConfigureAwait(false);
        try
        {
            return filter.Kind switch
            {
                FilterKind.Blocks => await BlockHashesAsync(filter, call.Aborted).ConfigureAwait(false),
                FilterKind.PendingTransactions => TransactionHashes(filter),
                _ => await NewLogsAsync(filter, call).ConfigureAwait(false),
            };
        }
        finally
        {
            filter.Gate.Release();
        }
    }

    private async ValueTask<RpcResult> GetLogsAsync(RpcCall call)
    {
        if (Find(call.Params, out var filter) is { } error)
        {
            return error;
        }

        return filter.Kind == FilterKind.Logs
            ? await LogsAsync(call, filter.Criteria!.Value, fromBlock: null, toBlock: null).ConfigureAwait(false)
            : RpcError.InvalidInput("filter not found: eth_getFilterLogs is for log filters (eth_newFilter)");
    }

    private async ValueTask<RpcResult> BlockHashesAsync(PollFilter filter, CancellationToken aborted)
    {
        var latest = Latest;
        var first = Math.Max(filter.NextBlock, latest >= MaxChanges ? latest - MaxChanges + 1 : 0);
        var hashes = new List<string>();
        for (var number = first; number <= latest; number++)
        {
            if (_executed is not null)
            {
                try
                {
                    var header = await _executed.HeaderAsync(number, aborted).ConfigureAwait(false);
                    if (header.ValueKind == JsonValueKind.Object && header.TryGetProperty("hash"u8, out var hash) && hash.GetString() is { } text)
                    {
                        hashes.Add(text);
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // Report what was read; the next poll goes on from the block that could not be read.
                    filter.NextBlock = Math.Max(filter.NextBlock, number);
                    return hashes.Count > 0 ? RpcResult.Object(hashes, RpcJsonContext.Default.ListString) : new RpcError(RpcErrorCodes.Internal, "execution node unavailable: " + ex.Message);
                }
            }
            else if (store.GetBlock(number) is { } block)
            {
                hashes.Add(block.Hash.ToString());
            }
        }

        filter.NextBlock = Math.Max(filter.NextBlock, latest + 1);
        return RpcResult.Object(hashes, RpcJsonContext.Default.ListString);
    }

    private RpcResult TransactionHashes(PollFilter filter)
    {
        var end = store.DurableEnd;
        var hashes = new List<string>();
        for (var sequence = Math.Max(filter.NextSequence, end - MaxChanges); sequence < end; sequence++)
        {
            if (store.GetTransaction(sequence) is { } tx)
            {
                hashes.Add(tx.Hash.ToString());
            }
        }

        filter.NextSequence = Math.Max(filter.NextSequence, end);
        return RpcResult.Object(hashes, RpcJsonContext.Default.ListString);
    }

    private async ValueTask<RpcResult> NewLogsAsync(PollFilter filter, RpcCall call)
    {
        var latest = Latest;
        if (filter.NextBlock > latest)
        {
            return RpcResult.Object(new List<string>(), RpcJsonContext.Default.ListString);
        }

        var result = await LogsAsync(call, filter.Criteria!.Value, filter.NextBlock, latest).ConfigureAwait(false);
        if (!result.IsError)
        {
            filter.NextBlock = latest + 1;
        }

        return result;
    }

    /// <summary>eth_getLogs with the filter's criteria (and a block range, for changes), answered by whoever serves it.</summary>
    private async ValueTask<RpcResult> LogsAsync(RpcCall call, JsonElement criteria, ulong? fromBlock, ulong? toBlock)
    {
        // The table is built from the modules, this one among them: look it up when called, not when built.
        if (!services.GetRequiredService<RpcMethodTable>().TryGet("eth_getLogs", out var getLogs))
        {
            return NoLogs;
        }

        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            writer.WriteStartObject();
            foreach (var property in criteria.EnumerateObject())
            {
                if (fromBlock is not null && property.Name is "fromBlock" or "toBlock" or "blockHash")
                {
                    continue;
                }

                property.WriteTo(writer);
            }

            if (fromBlock is { } from && toBlock is { } to)
            {
                writer.WriteString("fromBlock", Hex.EncodeQuantity(from));
                writer.WriteString("toBlock", Hex.EncodeQuantity(to));
            }

            writer.WriteEndObject();
            writer.WriteEndArray();
        }

        using var parameters = JsonDocument.Parse(buffer.WrittenMemory);
        return await getLogs(new RpcCall(parameters.RootElement, call.Transport, call.Aborted)).ConfigureAwait(false);
    }

    private RpcError? Find(RpcParams parameters, out PollFilter filter)
    {
        filter = null!;
        if (Id(parameters, 1, out var id) is { } error)
        {
            return error;
        }

        var found = filters.Get(id);
        if (found is null)
        {
            return RpcError.InvalidInput("filter not found");
        }

        filter = found;
        return null;
    }

    private static RpcError? Id(RpcParams parameters, int most, out string id)
    {
        id = string.Empty;
        if (RpcParams.FirstError(parameters.ExpectAtMost(most), parameters.Get(0, "filter id", out var value)) is { } error)
        {
            return error;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            return RpcError.InvalidParams($"filter id must be a hex string, got {RpcParams.Describe(value)}");
        }

        id = value.GetString()!;
        return null;
    }
}
