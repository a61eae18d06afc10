namespace Sequencer.Rpc;

/// <summary>A JSON-RPC error object. <see cref="Data"/> is written for limit errors, <see cref="RawData"/> as given otherwise.</summary>
public sealed record RpcError(int Code, string Message, RpcLimitData? Data = null)
{
    /// <summary>Any other <c>data</c>: e.g. an execution node's revert data passed through, or a tx hash (EIP-7966).</summary>
    public System.Text.Json.JsonElement? RawData { get; init; }

    public static RpcError InvalidParams(string message) => new(RpcErrorCodes.InvalidParams, "invalid params: " + message);

    public static RpcError InvalidInput(string message) => new(RpcErrorCodes.InvalidInput, message);

    public static RpcError Limit(string message, string reason, long retryAfterMs) =>
        new(RpcErrorCodes.LimitExceeded, message, new RpcLimitData(reason, retryAfterMs));
}

/// <summary>The <c>data</c> of a -32005 error: which limit, and when a retry may succeed.</summary>
/// <param name="Reason">Which limit (e.g. <c>queue_full</c>, <c>replication</c>, <c>not_leader</c>).</param>
/// <param name="RetryAfterMs">When a retry may succeed.</param>
/// <param name="LeaderUrl">With <c>not_leader</c>: where the replica set's leader takes writes (omitted when unknown).</param>
public sealed record RpcLimitData(
    string Reason,
    long RetryAfterMs,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] string? LeaderUrl = null);
