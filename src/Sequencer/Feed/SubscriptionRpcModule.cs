using System.Text.Json;
using Sequencer.Rpc;

namespace Sequencer.Feed;

/// <summary>eth_subscribe / eth_unsubscribe, over WebSocket only.</summary>
internal sealed class SubscriptionRpcModule(FeedHub feed) : IRpcModule
{
    public void Register(RpcMethodTable table)
    {
        table.Add("eth_subscribe", Subscribe);
        table.Add("eth_unsubscribe", Unsubscribe);
    }

    private ValueTask<RpcResult> Subscribe(RpcCall call)
    {
        if (call.Transport.WebSocket is not { } connection)
        {
            return Result(new RpcError(RpcErrorCodes.MethodNotFound, "eth_subscribe is only available over WebSocket (/ws)"));
        }

        if (call.Params.Get(0, "subscription type", out var typeElement) is { } error)
        {
            return Result(error);
        }

        var type = typeElement.ValueKind == JsonValueKind.String ? typeElement.GetString() : null;
        SubscriptionKind kind;
        switch (type)
        {
            case "newHeads":
                kind = SubscriptionKind.NewHeads;
                break;
            case "softConfirmations":
                kind = SubscriptionKind.SoftConfirmations;
                break;
            case "newPendingTransactions":
                kind = SubscriptionKind.PendingTransactions;
                break;
            case "logs":
                return Result(SubscribeLogs(call, connection));
            default:
                return Result(RpcError.InvalidParams(
                    $"unsupported subscription {RpcParams.Describe(typeElement)} (supported: newHeads, softConfirmations, newPendingTransactions, logs)"));
        }

        if (call.Params.Count > 1)
        {
            return Result(RpcError.InvalidParams($"{type} takes no options"));
        }

        return Result(Subscribed(feed.Subscribe(connection, kind)));
    }

    private RpcResult SubscribeLogs(RpcCall call, FeedConnection connection)
    {
        if (!feed.ServesLogs)
        {
            return RpcError.InvalidInput(
                "log subscriptions need an execution node (logs come from execution): set Sequencer:Execution:Kind to anvil or engine (docs/execution.md)");
        }

        if (call.Params.ExpectAtMost(2) is { } countError)
        {
            return countError;
        }

        var options = call.Params.Count > 1 ? call.Params.Raw[1] : default;
        return LogCriteria.TryParse(options, out var criteria) is { } error ? error : Subscribed(feed.Subscribe(connection, SubscriptionKind.Logs, criteria));
    }

    private static RpcResult Subscribed(string? id) => id is null
        ? RpcError.Limit("too many subscriptions on this connection", "subscriptions_per_connection", 0)
        : RpcResult.String(id);

    private ValueTask<RpcResult> Unsubscribe(RpcCall call)
    {
        if (call.Transport.WebSocket is not { } connection)
        {
            return Result(new RpcError(RpcErrorCodes.MethodNotFound, "eth_unsubscribe is only available over WebSocket (/ws)"));
        }

        if (RpcParams.FirstError(call.Params.ExpectAtMost(1), call.Params.Get(0, "subscription id", out var idElement)) is { } error)
        {
            return Result(error);
        }

        if (idElement.ValueKind != JsonValueKind.String)
        {
            return Result(RpcError.InvalidParams("subscription id must be a string"));
        }

        return Result(RpcResult.Boolean(feed.Unsubscribe(connection, idElement.GetString()!)));
    }

    private static ValueTask<RpcResult> Result(RpcResult result) => ValueTask.FromResult(result);
}
