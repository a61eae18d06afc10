using dotnet_etcd;
using Grpc.Core;
using Sequencer.Options;

namespace Sequencer.Replication;

/// <summary>
/// Leadership of a replica set on etcd (docs/replication.md, "Leadership"). Whoever creates the leader key under its own
/// lease leads; the epoch is the etcd revision of that create, so every later win has a higher one. The leader renews its
/// lease every <see cref="ReplicationOptions.KeepAliveIntervalMs"/> and stops leading the moment it can no longer be sure
/// the lease is alive: etcd answered that it is gone, or no keep-alive got through for the TTL (less a margin). Followers
/// watch the key and campaign again when it goes, each only when its <see cref="ICampaignGate"/> allows.
/// </summary>
/// <remarks>
/// Why not etcd's election API (Campaign/Observe): it queues candidates, and the next in the queue wins as soon as the
/// leader's key goes, whatever its log looks like by then. Here the gate is asked right before each attempt, so a node that
/// fell behind after it queued can never slip in.
/// </remarks>
public sealed partial class LeaderElection : BackgroundService
{
    private readonly ReplicationOptions _options;
    private readonly ICampaignGate _gate;
    private readonly LeadershipState _state;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly EtcdLeaderKey _key;
    private readonly LeaderRecord _self;
    private readonly TimeSpan _keepAliveInterval;
    private readonly TimeSpan _etcdTimeout;
    private readonly Lock _resignLock = new();
    private readonly TimeSpan? _probeInterval;
    private readonly TakeoverSteps _steps = new();
    private LeadTerm? _term;
    private long _holdOffUntil;

    public LeaderElection(ReplicationOptions options, EtcdClient client, ICampaignGate gate, LeadershipState state, TimeProvider time, ILogger<LeaderElection> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(client);
        _options = options;
        _gate = gate;
        _state = state;
        _time = time;
        _logger = logger;
        _keepAliveInterval = TimeSpan.FromMilliseconds(options.KeepAliveIntervalMs);
        _etcdTimeout = TimeSpan.FromMilliseconds(options.EtcdTimeoutMs);
        _key = new EtcdLeaderKey(client, options.LeaderKey, _etcdTimeout);
        _self = new LeaderRecord(options.NodeId, options.AdvertisedUrl);
        _probeInterval = options.LeaderProbeIntervalMs > 0 ? TimeSpan.FromMilliseconds(options.LeaderProbeIntervalMs) : null;
    }

    public LeadershipState State => _state;

    /// <summary>
    /// Gives up the lead: this node stops leading first, then revokes its lease, so the key is free at once. As after losing
    /// its lease, it does not campaign again until it has seen another leader or one lease TTL has passed. Returns when
    /// done (at once when not leading).
    /// </summary>
    public async Task ResignAsync(CancellationToken cancellationToken = default)
    {
        LeadTerm? term;
        lock (_resignLock)
        {
            term = _term;
        }

        if (term is null)
        {
            return;
        }

        term.Requested.TrySetResult();
        await term.SteppedDown.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await PassAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (stoppingToken.IsCancellationRequested && ex is OperationCanceledException or RpcException)
            {
                // The host stops; a gRPC call it cancelled may end as RpcException(Cancelled) rather than OperationCanceledException.
                break;
            }
            catch (Exception ex) when (ex is RpcException or OperationCanceledException or InvalidOperationException or HttpRequestException)
            {
                ReplicationLog.EtcdFailed(_logger, "campaign", ex);
                _state.BecomeFollower(0, null, null, "etcd unreachable (" + Describe(ex) + ")");
                try
                {
                    await Task.Delay(_keepAliveInterval, _time, stoppingToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }
    }

    /// <summary>One look at the key: follow whoever holds it, or campaign when it is free and the gate allows.</summary>
    private async Task PassAsync(CancellationToken cancellationToken)
    {
        var (holder, revision) = await _key.ReadAsync(cancellationToken).ConfigureAwait(false);
        if (holder is not null)
        {
            Follow(holder);
            await FollowUntilChangeAsync(holder, revision, cancellationToken).ConfigureAwait(false);
            return;
        }

        _steps.KeyGoneSeenAtMs ??= NowMs;

        var blocked = _gate.IsRecovering ? "recovering its log or catching up"
            : !await _gate.HoldsHighestAcknowledgedHeadAsync(cancellationToken).ConfigureAwait(false) ? "its durable head is not the highest acknowledged"
            : _time.GetTimestamp() < Volatile.Read(ref _holdOffUntil) ? "it just stopped leading; another node goes first"
            : null;
        if (blocked is not null)
        {
            if (_state.Current.Reason != blocked)
            {
                ReplicationLog.Gated(_logger, _options.NodeId, blocked);
            }

            _state.BecomeFollower(0, null, null, blocked);
            await _key.WaitForChangeAsync(revision, _keepAliveInterval, cancellationToken).ConfigureAwait(false);
            return;
        }

        _steps.GatePassedAtMs = NowMs;
        var grantedAt = _time.GetTimestamp();
        var (leaseId, ttlSeconds) = await _key.GrantLeaseAsync(_options.LeaseTtlSeconds, cancellationToken).ConfigureAwait(false);
        var won = false;
        try
        {
            var attempt = await _key.TryCreateAsync(_self, leaseId, cancellationToken).ConfigureAwait(false);
            if (!attempt.Won)
            {
                if (attempt.Holder is not null)
                {
                    Follow(attempt.Holder);
                }

                return;
            }

            won = true;
            await LeadAsync(leaseId, ttlSeconds, attempt.Epoch, grantedAt, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (!won)
            {
                await RevokeQuietlyAsync(leaseId).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Leads until the lease is lost, the node resigns or the host stops; then steps down before anything else.</summary>
    private async Task LeadAsync(long leaseId, long ttlSeconds, long epoch, long grantedAt, CancellationToken cancellationToken)
    {
        // The lease's life is counted from when the request that started or renewed it was sent, which is no later than when
        // etcd counted it from; the margin leaves the leader time to stop before etcd can possibly let the key go.
        var ttlTicks = ttlSeconds * _time.TimestampFrequency;
        var marginTicks = ttlTicks / 10;
        var intervalTicks = (long)(_keepAliveInterval.TotalSeconds * _time.TimestampFrequency);
        var retryTicks = Math.Max(intervalTicks / 4, _time.TimestampFrequency / 20);
        var validUntil = grantedAt + ttlTicks - marginTicks;
        var nextKeepAlive = grantedAt + intervalTicks;
        var term = new LeadTerm();
        lock (_resignLock)
        {
            _term = term;
            _state.BecomeLeader(epoch, _self.NodeId, _self.Url, validUntil, _steps.Won(NowMs));
        }

        _steps.Reset();

        var resign = term.Requested.Task;

        ReplicationLog.Won(_logger, _self.NodeId, epoch, leaseId, ttlSeconds);
        Exception? lastError = null;
        string? lostBecause = null;
        using var watchStop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Task<bool>? keyWatch = null;
        try
        {
            while (lostBecause is null)
            {
                // The key is watched too: a revoked lease or a removed key deposes the leader at once, not at the next keep-alive.
                keyWatch ??= KeyChangedAsync(epoch, watchStop.Token);
                if (keyWatch.IsCompleted)
                {
                    if (await keyWatch.ConfigureAwait(false))
                    {
                        lostBecause = "the leader key is gone or was changed (lease revoked or key removed)";
                        break;
                    }

                    keyWatch = null;
                    continue;
                }

                var now = _time.GetTimestamp();
                if (now >= validUntil)
                {
                    lostBecause = lastError is null
                        ? "the lease was not renewed within its TTL"
                        : "no keep-alive got through within the lease's TTL (" + Describe(lastError) + ")";
                    break;
                }

                var until = Math.Min(nextKeepAlive, validUntil);
                if (until > now)
                {
                    var delay = Task.Delay(_time.GetElapsedTime(now, until), _time, cancellationToken);
                    var woke = await Task.WhenAny(delay, resign, keyWatch).ConfigureAwait(false);
                    if (woke == resign)
                    {
                        break;
                    }

                    if (woke == delay)
                    {
                        await delay.ConfigureAwait(false);
                    }

                    continue;
                }

                var sentAt = _time.GetTimestamp();
                try
                {
                    var deadline = TimeSpan.FromTicks(Math.Max(1, Math.Min(_etcdTimeout.Ticks, _time.GetElapsedTime(sentAt, validUntil).Ticks)));
                    var renewedSeconds = await _key.KeepAliveOnceAsync(leaseId, deadline, cancellationToken).ConfigureAwait(false);
                    if (renewedSeconds <= 0)
                    {
                        lostBecause = "etcd says the lease is gone (expired or revoked)";
                        break;
                    }

                    validUntil = sentAt + renewedSeconds * _time.TimestampFrequency - marginTicks;
                    _state.ExtendLease(validUntil);
                    lastError = null;
                    nextKeepAlive = sentAt + intervalTicks;
                }
                catch (Exception ex) when (!cancellationToken.IsCancellationRequested && ex is RpcException or OperationCanceledException or IOException)
                {
                    lastError = ex;
                    ReplicationLog.KeepAliveFailed(_logger, leaseId, (long)_time.GetElapsedTime(_time.GetTimestamp(), validUntil).TotalMilliseconds, ex);
                    nextKeepAlive = _time.GetTimestamp() + retryTicks;
                }
            }
        }
        catch (Exception ex) when (cancellationToken.IsCancellationRequested && ex is OperationCanceledException or RpcException)
        {
            // The host stops: hand the lead over at once rather than leaving the others to wait out the lease.
        }
        finally
        {
            await watchStop.CancelAsync().ConfigureAwait(false);

            // Stop leading first; only then let the key go.
            _state.BecomeFollower(epoch, null, null, lostBecause ?? "resigned");
            if (lostBecause is not null)
            {
                ReplicationLog.Deposed(_logger, _self.NodeId, epoch, lostBecause);
            }
            else
            {
                ReplicationLog.Resigned(_logger, _self.NodeId, epoch);
            }

            // Resigned or deposed, the node lets another lead first: a flaky link to etcd must not make it flap.
            Volatile.Write(ref _holdOffUntil, _time.GetTimestamp() + ttlTicks);

            lock (_resignLock)
            {
                _term = null;
            }

            await RevokeQuietlyAsync(leaseId).ConfigureAwait(false);
            term.SteppedDown.TrySetResult();
        }
    }

    /// <summary>
    /// A failure as the state (and so the public status) shows it: the gRPC status code or the exception's type, never its
    /// message, which can name etcd's addresses. The log has the whole exception.
    /// </summary>
    private static string Describe(Exception ex) => ex is RpcException rpc ? rpc.StatusCode.ToString() : ex.GetType().Name;

    /// <summary>True when the leader key changed after <paramref name="epoch"/>; false when the watch ended without news (it is started again).</summary>
    private async Task<bool> KeyChangedAsync(long epoch, CancellationToken cancellationToken)
    {
        try
        {
            return await _key.WaitForChangeAsync(epoch, WatchBound, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested && ex is RpcException or IOException or HttpRequestException or OperationCanceledException)
        {
            // etcd unreachable: the keep-alives decide; look again a little later rather than spin.
            try
            {
                await Task.Delay(_keepAliveInterval, _time, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }

            return false;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private void Follow(LeaderKeyValue holder)
    {
        var id = holder.Record?.NodeId ?? "(not a leader record)";
        var url = holder.Record?.Url ?? "";
        if (holder.Record is not null && holder.Record.NodeId != _options.NodeId)
        {
            Volatile.Write(ref _holdOffUntil, 0);
        }

        var current = _state.Current;
        if (current.Role != ReplicaRole.Follower || current.Epoch != holder.Epoch || current.LeaderNodeId != id)
        {
            _steps.Reset();
            ReplicationLog.Following(_logger, id, url, holder.Epoch);
        }

        _state.BecomeFollower(holder.Epoch, id, url, "following");
    }

    /// <summary>Best effort: a lease that cannot be revoked now ends with its TTL anyway.</summary>
    private async Task RevokeQuietlyAsync(long leaseId)
    {
        try
        {
            using var timeout = new CancellationTokenSource(_etcdTimeout);
            await _key.RevokeAsync(leaseId, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is RpcException or OperationCanceledException or HttpRequestException)
        {
            ReplicationLog.EtcdFailed(_logger, "revoke", ex);
        }
    }

    /// <summary>A watch on a hung member would wait forever: look again at least once per lease TTL.</summary>
    private TimeSpan WatchBound => TimeSpan.FromSeconds(Math.Max(1, _options.LeaseTtlSeconds));
}
