using Grpc.Core;

namespace Sequencer.Replication;

/// <summary>
/// A follower's wait for the leader key to change, and its probe of a leader whose process may be gone
/// (docs/replication.md, "Deposing a dead leader at once").
/// </summary>
public sealed partial class LeaderElection
{
    private LeaderPortProbe? _probe;

    private long NowMs => _time.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>
    /// Waits until the leader key changes (or the watch's bound passes). Meanwhile it probes the leader's port: once the
    /// leader's process is gone (<see cref="LeaderPortProbe"/>), it revokes the leader's lease, which any etcd client may do,
    /// so the key goes now rather than when etcd expires the lease. That is safe whatever the probe got wrong: a live leader
    /// whose lease is revoked is merely deposed (its key watch and keep-alive see it; followers refuse its older epoch once
    /// they accept the next), and confirmations rest on MinAcks and epoch fencing, never on the lease.
    /// </summary>
    private async Task FollowUntilChangeAsync(LeaderKeyValue holder, long revision, CancellationToken cancellationToken)
    {
        if (_probeInterval is not { } interval || holder.Record is not { } record || record.NodeId == _options.NodeId
            || !Uri.TryCreate(record.Url, UriKind.Absolute, out var url))
        {
            await _key.WaitForChangeAsync(revision, WatchBound, cancellationToken).ConfigureAwait(false);
            return;
        }

        if (_probe?.Epoch != holder.Epoch)
        {
            _probe = new LeaderPortProbe(url, holder.Epoch, interval, _time);
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var watch = _key.WaitForChangeAsync(revision, WatchBound, stop.Token);
        var gone = _probe.WaitUntilGoneAsync(stop.Token);
        try
        {
            if (await Task.WhenAny(watch, gone).ConfigureAwait(false) == gone && gone.IsCompletedSuccessfully)
            {
                _steps.LeaderGoneSeenAtMs = (await gone.ConfigureAwait(false)).ToUnixTimeMilliseconds();
                ReplicationLog.LeaderGone(_logger, record.NodeId, record.Url, holder.Epoch, holder.LeaseId);
                await RevokeQuietlyAsync(holder.LeaseId).ConfigureAwait(false);
                _steps.LeaseRevokedAtMs = NowMs;
                _probe = null;
            }
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await Quietly(watch, cancellationToken).ConfigureAwait(false);
            await Quietly(gone, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Awaits a task this method's caller cancelled, letting its cancellation go (the host's is rethrown).</summary>
    private static async Task Quietly(Task task, CancellationToken cancellationToken)
    {
        try
        {
            await task.ConfigureAwait(false);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested
            && ex is OperationCanceledException or RpcException { StatusCode: StatusCode.Cancelled or StatusCode.DeadlineExceeded })
        {
        }
    }
}
