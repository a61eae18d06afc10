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
            default:
                return Result(RpcError.InvalidParams(
                    $"unsupported subscription {RpcParams.Describe(typeElement)} (supported: newHeads, softConfirmations, newPendingTransactions)"));
        }

        if (call.Params.Count > 1)
        {
            return Result(RpcError.InvalidParams($"{type} takes no options"));
        }

        var id = feed.Subscribe(connection, kind);
        return id is null
            ? Result(RpcError.Limit("too many subscriptions on this connection", "subscriptions_per_connection", 0))
            : Result(RpcResult.String(id));
    }

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
