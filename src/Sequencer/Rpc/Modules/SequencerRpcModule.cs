using System.Runtime.CompilerServices;
using Microsoft.Extensions.Options;
using Sequencer.Options;
using Primitives;
using Sequencer.Replication;
using Sequencer.Rpc.Dto;
using Sequencer.Sequencing;
using Sequencer.Submission;
using Sequencer.Transactions;
using Sequencer.History;

namespace Sequencer.Rpc.Modules;

/// <summary>The sequencer's own methods: confirmations and status (docs/rpc.md).</summary>
internal sealed class SequencerRpcModule(
    ChainStore store,
    SequencerCore core,
    ChainViews views,
    TransactionSubmitter submitter,
    Feed.FeedHub feed,
    Batcher.Pipeline.BatcherStatus batcher,
    IOptions<SequencerOptions> options,
    LeadershipState? leadership = null,
    ReplicaLinks? links = null) : IRpcModule
{
    private readonly SequencerOptions _options = options.Value;

    public void Register(RpcMethodTable table)
    {
        table.Add("sequencer_sendRawTransaction", SendRawTransactionAsync, RpcParamsShape.OneString);
        table.Add("sequencer_getSoftConfirmation", GetSoftConfirmation);
        table.Add("sequencer_getStatus", GetStatus);
    }

    // Pooled frames: one per transaction per async layer was among the write path's largest allocations (issue 16);
    // every caller awaits the result once, which is all a pooled ValueTask allows.
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<RpcResult> SendRawTransactionAsync(RpcCall call)
    {
        if (RpcParams.FirstError(call.Params.ExpectAtMost(1), call.Params.GetData(0, "transaction", out var raw)) is { } error)
        {
            return error;
        }

        var outcome = await submitter.SubmitAsync(raw, TxLane.Paid, call.ClientAddress, call.Aborted).ConfigureAwait(false);
        return SubmissionErrors.From(outcome, _options.QueueWaitMs) is { } refused
            ? refused
            : views.ConfirmationResult(outcome.Confirmed!);
    }

    private ValueTask<RpcResult> GetSoftConfirmation(RpcCall call)
    {
        if (RpcParams.FirstError(call.Params.ExpectAtMost(1), call.Params.GetHash(0, "transaction hash", out var hash)) is { } error)
        {
            return ValueTask.FromResult<RpcResult>(error);
        }

        var tx = store.GetTransaction(hash);
        return ValueTask.FromResult(tx is null
            ? RpcResult.Null
            : RpcResult.Object(views.Confirmation(tx), RpcJsonContext.Default.SoftConfirmationDto));
    }

    private ValueTask<RpcResult> GetStatus(RpcCall call)
    {
        var head = store.LatestBlock;
        var log = core.Log;
        var durable = store.DurableEnd;
        var lastTx = durable > 0 ? store.GetTransaction(durable - 1) : null;
        var status = new StatusDto
        {
            ChainId = Hex.EncodeQuantity(_options.ChainId),
            Sequencer = views.Sequencer,
            Ready = core.IsReady,
            Head = new HeadStatusDto
            {
                BlockNumber = Hex.EncodeQuantity(head.Number),
                BlockHash = head.Hash.ToString(),
                NextSequence = Hex.EncodeQuantity((ulong)durable),
                Accumulator = (lastTx?.Accumulator ?? Hash32.Zero).ToString(),
            },
            Wal = new WalStatusDto
            {
                // Relative to the data directory: the status is public, the server's disk layout is not.
                Directory = PublicText.Relative(_options.DataDirectory, log?.Directory ?? string.Empty),
                DurableSequenceEnd = log?.DurableEndSequence ?? 0,
                Fsyncs = log?.FsyncCount ?? 0,
                BytesWritten = log?.BytesWritten ?? 0,
                LastFsyncMs = log?.LastFsyncDuration.TotalMilliseconds ?? 0,
                Fsync = _options.Wal.Fsync,
                Failure = PublicText.WithoutPaths(log?.Failure?.Message),
                RecoveredRecords = core.Recovery?.Report.Records ?? 0,
                TornBytesCut = core.Recovery?.Report.TornBytesCut ?? 0,
            },
            History = new HistoryStatusDto
            {
                TransactionsInMemory = store.TransactionsInMemory,
                BlocksInMemory = store.BlocksInMemory,
                BytesInMemory = store.BytesInMemory,
                MaxTransactions = _options.History.MaxTransactions,
                MaxBytes = _options.History.MaxBytes,
                MaxBlocks = _options.History.MaxBlocks,
                IndexedSequenceEnd = store.History?.IndexedEnd ?? 0,
                Chunks = store.History?.Chunks.Count ?? 0,
                CheckpointSequence = core.Indexer?.CheckpointSequence ?? -1,
                ChunksRebuilt = (core.Recovery?.ChunksRebuilt ?? 0) + (core.Indexer?.ChunksRebuilt ?? 0),
            },
            Queue = new QueueStatusDto
            {
                Depth = core.QueueDepth,
                Capacity = _options.QueueCapacity,
                NonceHeld = core.HeldCount,
            },
            Feed = new FeedStatusDto
            {
                Connections = feed.Connections,
                Subscriptions = feed.Subscriptions,
                Dropped = feed.Dropped,
            },
            Batcher = batcher.Snapshot() is { } snapshot ? snapshot with { LastError = PublicText.WithoutPaths(snapshot.LastError) } : null,
            Replication = leadership is null ? null : ReplicationStatus(leadership, links, ReplicationLag.LeaderEnd(log)),
        };
        return ValueTask.FromResult(RpcResult.Object(status, RpcJsonContext.Default.StatusDto));
    }

    private static ReplicationStatusDto ReplicationStatus(LeadershipState leadership, ReplicaLinks? links, long leaderEnd)
    {
        var current = leadership.Current;
        var leading = leadership.IsLeader;
        return new ReplicationStatusDto
        {
            // IsLeader, not the snapshot's role: a leader whose lease may have ended says follower even before its election loop notices.
            Role = leading ? "leader" : "follower",
            Epoch = Hex.EncodeQuantity((ulong)current.Epoch),
            LeaderNodeId = current.LeaderNodeId,
            LeaderUrl = current.LeaderUrl,
            Reason = current.Role == ReplicaRole.Leader && !leading ? "lease validity passed" : current.Reason,
            ElectionsWon = leadership.ElectionsWon,
            ElectionsSeen = leadership.ElectionsSeen,
            Followers = leading && links is not null ? FollowerStatus(links, leaderEnd) : [],
            LastTakeover = leadership.LastTakeover,
        };
    }

    /// <summary>Each follower as the leader sees it (only a leader ships records, so only a leader lists them).</summary>
    private static List<FollowerStatusDto> FollowerStatus(ReplicaLinks links, long leaderEnd)
    {
        var followers = new List<FollowerStatusDto>(links.All.Count);
        foreach (var link in links.All)
        {
            var acknowledged = link.AcknowledgedEnd;
            followers.Add(new FollowerStatusDto
            {
                NodeId = link.NodeId,
                AcknowledgedSequenceEnd = acknowledged,
                LagRecords = ReplicationLag.Records(leaderEnd, acknowledged),
                LastAckMs = link.LastAckLatency.TotalMilliseconds,
                Acknowledging = link.Acknowledging,
            });
        }

        return followers;
    }
}
