using Microsoft.Extensions.Options;
using System.ComponentModel.DataAnnotations;

namespace Sequencer.Options;

/// <summary>The "Sequencer" section of appsettings.json. Every knob has its default there too.</summary>
public sealed class SequencerOptions
{
    public const string Section = "Sequencer";

    /// <summary>EIP-155 chain id of the rollup; transactions for other chains are rejected.</summary>
    [Range(1, long.MaxValue)]
    public ulong ChainId { get; set; } = 424242;

    /// <summary>Where the WAL, the dev key and the local DA store live.</summary>
    [Required]
    public string DataDirectory { get; set; } = "data";

    /// <summary>File holding the sequencer's private key as hex. Empty: see <see cref="PrivateKey"/>.</summary>
    public string? KeyFile { get; set; }

    /// <summary>Private key as hex, from configuration or the environment (never logged).</summary>
    public string? PrivateKey { get; set; }

    /// <summary>
    /// With no key configured, in the Development environment: create one in the data directory and print its
    /// address. Null (the default) or true: generate in Development; false: never. Outside Development a key
    /// is never generated and the host refuses to start without one.
    /// </summary>
    public bool? GenerateDevKey { get; set; }

    /// <summary>A block is sealed this long after its first transaction, or earlier when full.</summary>
    [Range(1, 60_000)]
    public int BlockTimeMs { get; set; } = 200;

    /// <summary>
    /// An idle chain still advances: once no block was sealed for this long, the sequencer seals an empty block (one
    /// second of block time after the head, never ahead of the clock), so clients waiting for confirmations see new
    /// blocks. 0 turns empty blocks off. The first one follows the first block with transactions (docs/operations.md).
    /// </summary>
    [Range(0, 60_000)]
    public int EmptyBlockIntervalMs { get; set; } = 1_000;

    /// <summary>
    /// At a start, the catch-up of the empty blocks of the time the host was down (one a second the head lags the
    /// clock: 86,400 after a day) waits this long, so that it does not compete with the start itself for the CPU; a
    /// transaction that comes first still waits only for the blocks the previous run may have shown (docs/operations.md).
    /// </summary>
    [Range(0, 60_000)]
    public int EmptyBlockCatchUpDelayMs { get; set; } = 2_000;

    /// <summary>
    /// The least time from one block's opening to the next one's: bounds the chain's gas per second to
    /// BlockGasLimit / interval, so that under a flood transactions wait in their lanes and the block shares decide whose
    /// wait (docs/block-share.md). 0 (the default): a full block is followed at once by the next.
    /// </summary>
    [Range(0, 60_000)]
    public int MinBlockIntervalMs { get; set; }

    /// <summary>Sum of the gas limits a block may hold; also the largest gas limit of one transaction.</summary>
    [Range(21_000, long.MaxValue)]
    public ulong BlockGasLimit { get; set; } = 30_000_000;

    /// <summary>Timestamp of the genesis block (unix seconds).</summary>
    public ulong GenesisTimestamp { get; set; }

    /// <summary>Transactions waiting for the single writer; beyond it callers wait up to <see cref="QueueWaitMs"/>.</summary>
    [Range(16, 1_048_576)]
    public int QueueCapacity { get; set; } = 16_384;

    /// <summary>How long a caller waits for room in a full queue before getting "sequencer busy".</summary>
    [Range(0, 60_000)]
    public int QueueWaitMs { get; set; } = 1_000;

    /// <summary>Most transactions the writer takes in one group before it hands them to the log.</summary>
    [Range(1, 65_536)]
    public int MaxWriterBatch { get; set; } = 4_096;

    [Required]
    [ValidateObjectMembers]
    public TransactionRules Transactions { get; set; } = new();

    [Required]
    [ValidateObjectMembers]
    public NonceHoldOptions NonceHold { get; set; } = new();

    [Required]
    [ValidateObjectMembers]
    public WalOptions Wal { get; set; } = new();

    [Required]
    [ValidateObjectMembers]
    public HistoryOptions History { get; set; } = new();

    [Required]
    [ValidateObjectMembers]
    public RpcOptions Rpc { get; set; } = new();

    [Required]
    [ValidateObjectMembers]
    public FeedOptions Feed { get; set; } = new();

    /// <summary>Believing X-Forwarded-Proto / -For from a TLS-terminating proxy (off by default).</summary>
    [Required]
    public ForwardedHeadersSettings ForwardedHeaders { get; set; } = new();
}

public sealed class TransactionRules
{
    /// <summary>Largest encoded transaction accepted (bytes).</summary>
    [Range(128, 1_048_576)]
    public int MaxEncodedBytes { get; set; } = 131_072;

    /// <summary>Lowest max fee per gas (wei) accepted on the paid lane.</summary>
    [Range(typeof(ulong), "1", "18446744073709551615")]
    public ulong MinFeePerGasWei { get; set; } = 1_000_000;
}

/// <summary>Transactions whose nonce is ahead of the sender's next nonce wait here for the gap to fill.</summary>
public sealed class NonceHoldOptions
{
    [Range(0, 60_000)]
    public int WaitMs { get; set; } = 1_000;

    [Range(0, 1_024)]
    public int MaxPerSender { get; set; } = 16;

    [Range(0, 1_048_576)]
    public int MaxTotal { get; set; } = 10_000;
}

public sealed class WalOptions
{
    /// <summary>A segment is closed and a new one started once it reaches this size.</summary>
    [Range(1_048_576, long.MaxValue)]
    public long SegmentBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>Turn fsync off only for throwaway benchmarks: confirmations are then not crash-safe.</summary>
    public bool Fsync { get; set; } = true;
}

/// <summary>
/// How much recent history stays in memory; older transactions and blocks are read from the log through the on-disk
/// history index (docs/operations.md, "History and checkpoints").
/// </summary>
public sealed class HistoryOptions
{
    /// <summary>Most transactions kept in memory once indexed on disk.</summary>
    [Range(16, 100_000_000)]
    public int MaxTransactions { get; set; } = 200_000;

    /// <summary>Most bytes (raw transactions plus a fixed per-transaction overhead) kept in memory once indexed on disk.</summary>
    [Range(65_536, 64L << 30)]
    public long MaxBytes { get; set; } = 128L << 20;

    /// <summary>Most blocks kept in memory once indexed on disk.</summary>
    [Range(16, 10_000_000)]
    public int MaxBlocks { get; set; } = 20_000;

    /// <summary>
    /// A history chunk (and a checkpoint after it) is written once this many published transactions wait for one: a
    /// restart replays at most about this many records. Smaller: faster restarts, more chunk files for a lookup of an
    /// unknown hash to probe. At most half of <see cref="MaxTransactions"/> (checked at start). The default keeps the
    /// replay of a start (about 10,000 records) shorter than the rest of the host's start-up it runs beside
    /// (docs/benchmarks.md, "Restart, round 4").
    /// </summary>
    [Range(8, 50_000_000)]
    public int ChunkTransactions { get; set; } = 10_000;

    /// <summary>
    /// A history chunk (and a checkpoint after it) is written at least this often while transactions arrive, so a
    /// restart replays at most this much time of log even at a low rate.
    /// </summary>
    [Range(1_000, 3_600_000)]
    public int CheckpointIntervalMs { get; set; } = 60_000;
}

public sealed class RpcOptions
{
    /// <summary>Largest HTTP request body or WebSocket message (bytes).</summary>
    [Range(1_024, 64 * 1024 * 1024)]
    public int MaxRequestBytes { get; set; } = 1_048_576;

    /// <summary>Most requests in one JSON-RPC batch.</summary>
    [Range(1, 10_000)]
    public int MaxBatchSize { get; set; } = 100;

    /// <summary>
    /// Largest reply (an HTTP body or one WebSocket message, single call or batch). Calls of a batch whose
    /// results no longer fit answer -32005 response_too_large instead.
    /// </summary>
    [Range(65_536, 256 * 1024 * 1024)]
    public int MaxResponseBytes { get; set; } = 8 * 1024 * 1024;

    /// <summary>Most open WebSocket connections.</summary>
    [Range(1, 1_000_000)]
    public int MaxWebSocketConnections { get; set; } = 1_000;

    /// <summary>Most open WebSocket connections from one client address (for IPv6: from one /64 network).</summary>
    [Range(1, 1_000_000)]
    public int MaxWebSocketConnectionsPerAddress { get; set; } = 64;

    /// <summary>
    /// Bytes of replies and notifications queued for one WebSocket connection. The connection reads no
    /// further request while more than half of it is queued; a subscriber whose notifications pass it is
    /// disconnected (close 1008). At least twice <see cref="MaxResponseBytes"/>.
    /// </summary>
    [Range(131_072, 1L << 30)]
    public long WebSocketMaxQueuedBytes { get; set; } = 16 * 1024 * 1024;

    /// <summary>
    /// A WebSocket connection without subscriptions that sends no request for this long is closed (1000);
    /// one that takes no bytes for this long while a message waits for it is cut off.
    /// </summary>
    [Range(1_000, 86_400_000)]
    public int WebSocketIdleTimeoutMs { get; set; } = 60_000;

    /// <summary>
    /// Browser origins ("https://app.example") that may open /ws besides this host's own; "*" allows any.
    /// Clients that send no Origin header (non-browser clients) are not affected.
    /// </summary>
    public string[] WebSocketAllowedOrigins { get; set; } = [];

    /// <summary>Most subscriptions on one WebSocket connection.</summary>
    [Range(1, 1_000)]
    public int MaxSubscriptionsPerConnection { get; set; } = 16;
}

public sealed class FeedOptions
{
    /// <summary>
    /// Messages queued per WebSocket connection (see also <see cref="RpcOptions.WebSocketMaxQueuedBytes"/>);
    /// a subscriber that falls further behind is disconnected (close 1008).
    /// </summary>
    [Range(16, 1_048_576)]
    public int SubscriberBuffer { get; set; } = 8_192;
}

/// <summary>Source-generated: checks the nested sections too, which reflection-based DataAnnotations validation skips.</summary>
[OptionsValidator]
internal sealed partial class SequencerOptionsValidator : IValidateOptions<SequencerOptions>;
