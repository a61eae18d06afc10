namespace Sequencer.Rpc;

/// <summary>JSON-RPC error codes (DESIGN.md, docs/rpc.md).</summary>
public static class RpcErrorCodes
{
    public const int ParseError = -32700;
    public const int InvalidRequest = -32600;
    public const int MethodNotFound = -32601;
    public const int InvalidParams = -32602;
    public const int Internal = -32603;

    /// <summary>Bad transaction: undecodable, wrong chain, nonce too low/high, gas, fee.</summary>
    public const int InvalidInput = -32000;

    /// <summary>Admission or policy said no.</summary>
    public const int TransactionRejected = -32003;

    /// <summary>A rate limit, quota or capacity bound; data carries reason and retryAfterMs.</summary>
    public const int LimitExceeded = -32005;
}
