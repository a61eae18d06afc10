using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Sequencer.Log;
using Sequencer.Options;
using Sequencer.Sequencing;

namespace Sequencer.Replication;

/// <summary>
/// <c>POST /replication/append</c>: a follower takes a group of records from its leader (docs/replication.md). It checks
/// the shared secret, then the epoch — refused if a newer one was accepted (<see cref="EpochFence"/>) or if it is not the
/// epoch of the leader this replica follows in etcd — appends the records through its core's single writer, and answers
/// once they are durable here. Every answer carries this replica's highest epoch and durable end, so a leader whose ack was
/// lost resends from there.
/// </summary>
internal sealed partial class ReplicaAppendEndpoint(
    SequencerCore core, History.ChainStore store, LeadershipState leadership, EpochFence fence, VerifiedTerm verified, IOptions<ReplicationOptions> options,
    DataDirectoryLock dataDirectory, IHostApplicationLifetime lifetime, ILogger<ReplicaAppendEndpoint> logger)
{
    public const string Path = "/replication/append";
    private const int MaxBodyBytes = 8 << 20;

    private readonly byte[] _expected = Encoding.UTF8.GetBytes("Bearer " + (options.Value.SharedSecret ?? ""));

    /// <summary><c>GET /replication/head</c>: this replica's head for a peer's campaign gate (<see cref="PeerHeadsGate"/>).</summary>
    public Task HeadAsync(HttpContext context)
    {
        if (!Authorized(context))
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return Task.CompletedTask;
        }

        var head = PeerHeadsGate.OwnHead(core, verified);
        return AnswerAsync(context, StatusCodes.Status200OK, ReplicaAckStatus.Durable, null, head.LastEpoch, head.End);
    }

    public async Task HandleAsync(HttpContext context)
    {
        if (!Authorized(context))
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return;
        }

        if (context.Request.ContentLength is > MaxBodyBytes)
        {
            context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
            return;
        }

        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body, context.RequestAborted).ConfigureAwait(false);
        var records = ReplicationWire.TryReadGroup(body.GetBuffer().AsSpan(0, (int)body.Length), out var epoch, out var commit, out var problem);
        if (records is null)
        {
            await AnswerAsync(context, StatusCodes.Status400BadRequest, ReplicaAckStatus.Refused, "malformed group: " + problem).ConfigureAwait(false);
            return;
        }

        var refusal = Check(epoch, out var stale);
        if (refusal is not null)
        {
            await AnswerAsync(context, StatusCodes.Status409Conflict, stale ? ReplicaAckStatus.StaleEpoch : ReplicaAckStatus.Refused, refusal).ConfigureAwait(false);
            return;
        }

        if (records.Count == 0)
        {
            // The leader's commit index alone (it had no records to send).
            Commit(commit, verifiedEnd: 0);
            await AnswerAsync(context, StatusCodes.Status200OK, ReplicaAckStatus.Durable, null).ConfigureAwait(false);
            return;
        }

        var batch = new ReplicaBatch(records, epoch);
        refusal = await core.ApplyReplicatedAsync(batch, context.RequestAborted).ConfigureAwait(false);
        if (batch.DivergedAt is { } from)
        {
            CutAndStop(from, epoch);
        }

        if (refusal is not null)
        {
            if (batch.Unmatched && Log.DurableEndSequence < batch.First)
            {
                // The leader's records past this replica's commit index are another history than its own: the leader
                // steps back to the commit index (its records below it are this replica's), and the first one that
                // differs there after an equal prefix is the divergence (DivergedAt), cut at the next start.
                await AnswerAsync(context, StatusCodes.Status409Conflict, ReplicaAckStatus.Mismatch, refusal, end: Log.DurableEndSequence).ConfigureAwait(false);
                return;
            }

            await AnswerAsync(context, StatusCodes.Status409Conflict, ReplicaAckStatus.Refused, refusal).ConfigureAwait(false);
            return;
        }

        await Log.WhenLocallyDurableAsync(batch.End, context.RequestAborted).ConfigureAwait(false);

        // Every record of the batch was taken or found equal: this replica's log is the leader's up to its end. When that end
        // is this replica's whole log, the log ranks by the leader's epoch from now on (durably, before the acknowledgement
        // that may confirm records of an older epoch in this term).
        if (batch.DivergedAt is null && batch.End == LocalDurableEnd)
        {
            verified.Raise(epoch, batch.End, core.LastLoggedEpoch);
        }

        Commit(commit, verifiedEnd: batch.End);
        await AnswerAsync(context, StatusCodes.Status200OK, ReplicaAckStatus.Durable, null).ConfigureAwait(false);
    }

    /// <summary>Records of this replica's log are durable here (what the leader counts) but published only up to the commit index.</summary>
    private ReplicatedTransactionLog Log => (ReplicatedTransactionLog)(core.Log ?? throw new InvalidOperationException("the core has not started"));

    private long LocalDurableEnd => core.Log is ReplicatedTransactionLog log ? log.LocalDurableEnd : core.DurableEnd;

    /// <summary>
    /// The leader's commit index applies here only as far as this replica's log is the leader's: up to the end of records it
    /// just checked against the leader's (<paramref name="verifiedEnd"/>), or all of it when the record before it carries the
    /// leader's accumulator there (the accumulator chains the whole prefix). A deposed leader's tail that this replica still
    /// holds is therefore never published on another leader's word.
    /// </summary>
    private void Commit(CommitPoint commit, long verifiedEnd)
    {
        var end = PublishableEnd(commit, verifiedEnd, LocalDurableEnd, commit.End > 0 ? store.GetSequenced(commit.End - 1) : null);
        if (end > 0)
        {
            Log.LeaderCommitted(end);
        }
    }

    /// <summary>The end this replica may publish on its leader's <paramref name="commit"/> (see <see cref="Commit"/>); <paramref name="held"/> is its own record at commit − 1.</summary>
    internal static long PublishableEnd(CommitPoint commit, long verifiedEnd, long localDurableEnd, Chain.SequencedTransaction? held)
    {
        var end = Math.Min(commit.End, verifiedEnd);
        return commit.End > end && commit.End <= localDurableEnd && held is not null && commit.IsLeadersRecord(held) ? commit.End : end;
    }

    private bool Authorized(HttpContext context) =>
        options.Value.SharedSecret is not null
        && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(context.Request.Headers.Authorization.ToString()), _expected);

    /// <summary>
    /// This replica's tail diverges from its leader's: the cut is recorded durably, and the host stops so that the next
    /// start cuts the log before replaying it (<see cref="WalTailCut"/>); the process exits with
    /// <see cref="Hosting.ExitCodes.TailCutPending"/> for its supervisor to start it again.
    /// </summary>
    private void CutAndStop(long from, long epoch)
    {
        if (WalTailCut.IsPending(dataDirectory.Directory))
        {
            return;
        }

        WalTailCut.Request(dataDirectory.Directory, from, epoch);
        LogCutRequested(from, LocalDurableEnd - from, epoch);
        lifetime.StopApplication();
    }

    private string? Check(long epoch, out bool stale)
    {
        stale = false;

        // The fence file, and the epochs in the log itself: a lost or older fence file does not let an older epoch in.
        var highest = Math.Max(fence.Highest, core.LastLoggedEpoch);
        if (epoch < highest)
        {
            stale = true;
            return $"stale_epoch: this replica accepted epoch {highest}, got {epoch}";
        }

        var known = leadership.Current;
        if (known.Role == ReplicaRole.Leader)
        {
            return $"this replica leads epoch {known.Epoch}";
        }

        if (epoch < known.Epoch)
        {
            stale = true;
            return $"stale_epoch: this replica follows the leader of epoch {known.Epoch}, got {epoch}";
        }

        if (epoch != known.Epoch)
        {
            return $"not following the leader of epoch {epoch} (yet): this replica knows epoch {known.Epoch}";
        }

        // Durable before the first record of the epoch: after a restart the fence still holds.
        if (!fence.TryAccept(epoch))
        {
            stale = true;
            return $"stale_epoch: this replica accepted epoch {fence.Highest}, got {epoch}";
        }

        return null;
    }

    private Task AnswerAsync(HttpContext context, int status, ReplicaAckStatus ack, string? reason, long? epoch = null, long? end = null)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/octet-stream";
        var body = ReplicationWire.Ack(ack, epoch ?? Math.Max(fence.Highest, core.LastLoggedEpoch), end ?? LocalDurableEnd, reason);
        return context.Response.Body.WriteAsync(body, context.RequestAborted).AsTask();
    }

    [LoggerMessage(EventId = 9010, Level = LogLevel.Warning,
        Message = "Replication: this replica's records from sequence {From} (about {Records}) were never acknowledged by the set; the leader of epoch {Epoch} holds another history there. Stopping: the next start cuts them")]
    private partial void LogCutRequested(long from, long records, long epoch);
}
