using System.ComponentModel.DataAnnotations;

namespace Sequencer.Execution;

/// <summary>The "Sequencer:Execution" section of appsettings.json (docs/execution.md).</summary>
public sealed class ExecutionOptions
{
    public const string Section = "Sequencer:Execution";

    /// <summary>none (default), anvil, engine, or auto (Development: a managed anvil when one is installed).</summary>
    public ExecutionKind Kind { get; set; } = ExecutionKind.None;

    /// <summary>The execution node's plain JSON-RPC URL: read methods are proxied here and balances read from it.</summary>
    public string? RpcUrl { get; set; }

    /// <summary>The anvil binary <see cref="ExecutionKind.Auto"/> starts; unset: tools/node_modules/.bin/anvil, then PATH.</summary>
    public string? AnvilPath { get; set; }

    /// <summary>Engine API URL (the node's authenticated RPC port), for <see cref="ExecutionKind.Engine"/>.</summary>
    public string? EngineUrl { get; set; }

    /// <summary>File holding the 32-byte Engine API JWT secret as hex (the same file the node is given).</summary>
    public string? JwtSecretFile { get; set; }

    /// <summary>Execution block number = sequencer block number + this (0 when the node's chain starts with the sequencer's genesis).</summary>
    public ulong BlockOffset { get; set; }

    /// <summary>Timeout of one request to the execution node.</summary>
    [Range(100, 600_000)]
    public int RequestTimeoutMs { get; set; } = 5_000;

    /// <summary>Most concurrent HTTP connections to the execution node (proxied reads beyond it wait).</summary>
    [Range(1, 4_096)]
    public int MaxConnections { get; set; } = 64;

    /// <summary>Pause before retrying after the execution node was unreachable or busy.</summary>
    [Range(10, 60_000)]
    public int RetryDelayMs { get; set; } = 500;

    /// <summary>Refuse paid transactions whose sender cannot pay gas × maxFee + value.</summary>
    public bool CheckBalance { get; set; } = true;

    /// <summary>eth_getTransactionReceipt of a sequenced, not yet executed tx waits up to this long (0: answer null at once).</summary>
    [Range(0, 60_000)]
    public int ReceiptWaitMs { get; set; } = 2_000;

    /// <summary>eth_sendRawTransactionSync: wait this long for the receipt when the caller gives no timeout.</summary>
    [Range(1, 600_000)]
    public int SyncTimeoutMs { get; set; } = 2_000;

    /// <summary>eth_sendRawTransactionSync: the largest timeout a caller may ask for (EIP-7966).</summary>
    [Range(1, 600_000)]
    public int MaxSyncTimeoutMs { get; set; } = 10_000;

    /// <summary>Engine API: the fee recipient of built payloads.</summary>
    public string FeeRecipient { get; set; } = "0x0000000000000000000000000000000000000000";
}
