using System.Net.Http.Headers;
using Sequencer.Log;
using Sequencer.Options;
using Sequencer.Sequencing;

namespace Sequencer.Replication;

/// <summary>
/// The campaign gate of a replica set (docs/replication.md, "Who may campaign"). A node never campaigns while its core
/// recovers or its own log failed (a shortfall of acknowledgements is neither). Otherwise it asks every peer for its head (<c>GET /replication/head</c>: the epoch of its last
/// record and its durable end) and campaigns only when at least N − MinAcks peers answered (so that, itself counted,
/// it heard from a set that meets every MinAcks set, which holds every confirmed record) and none of them holds a higher
/// head by (epoch of its last record, durable end), ties going to the lowest node id. A lagging replica therefore never wins against an
/// up-to-date one it can reach; when too few replicas answer, nobody campaigns.
/// </summary>
internal sealed class PeerHeadsGate : ICampaignGate, IDisposable
{
    public const string Path = "/replication/head";

    private readonly SequencerCore _core;
    private readonly VerifiedTerm _verified;
    private readonly ReplicationOptions _options;
    private readonly HttpClient _http;

    public PeerHeadsGate(SequencerCore core, VerifiedTerm verified, ReplicationOptions options)
    {
        _core = core;
        _verified = verified;
        _options = options;
        _http = new HttpClient { Timeout = TimeSpan.FromMilliseconds(options.EtcdTimeoutMs) };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", options.SharedSecret ?? "");
    }

    public bool IsRecovering => Recovering(_core.IsRunning, _core.Log?.Failure);

    /// <summary>
    /// Recovering: the core has not finished its replay (or stops), or its own log failed. A shortfall of acknowledgements
    /// is not recovery: a leader that resigned (or was deposed) short of them holds the highest head, and the other
    /// replicas defer to it, so it must stand (the failover run's leaderless deadlock, seed 63405). Winning lets go of its
    /// earlier term's shortfall (<see cref="ReplicatedTransactionLog.Lead"/>) and its followers catch up on its tail.
    /// </summary>
    internal static bool Recovering(bool running, Exception? failure) => !running || failure is not (null or ReplicationShortfallException);

    /// <summary>Without asking the peers nothing is known: only a node alone in its set holds the highest head.</summary>
    public bool HoldsHighestAcknowledgedHead() => _options.Peers.Count == 0;

    public async ValueTask<bool> HoldsHighestAcknowledgedHeadAsync(CancellationToken cancellationToken)
    {
        var peers = _options.Peers;
        if (peers.Count == 0)
        {
            return true;
        }

        var own = OwnHead(_core, _verified);

        // Every peer is waited for (a refused connection answers at once; a paused peer costs the request's deadline): a
        // peer with a higher head should win rather than see its tail cut, though stopping at the first N − MinAcks
        // answers would be as safe.
        var heads = await Task.WhenAll(peers.Select(peer => AskAsync(peer, cancellationToken))).ConfigureAwait(false);
        var heard = 0;
        for (var i = 0; i < peers.Count; i++)
        {
            if (heads[i] is not { } head)
            {
                continue;
            }

            heard++;
            if (Outranks(head, peers[i].NodeId, own, _options.NodeId))
            {
                return false;
            }
        }

        return heard >= peers.Count + 1 - _options.EffectiveMinAcks;
    }

    /// <summary>
    /// True when a peer's head outranks this node's: by the epoch of the last record, then the durable end (as Raft ranks
    /// logs by last term, then index), ties going to the lowest node id.
    /// </summary>
    internal static bool Outranks(Head peer, string peerId, Head own, string ownId)
    {
        var comparison = (peer.LastEpoch, peer.End).CompareTo((own.LastEpoch, own.End));
        return comparison > 0 || (comparison == 0 && string.CompareOrdinal(peerId, ownId) < 0);
    }

    /// <summary>
    /// This replica's head as the gate ranks it, here and at its peers (<c>GET /replication/head</c>): its durable end and
    /// the epoch of its last record, or of the term whose leader's log it was found to be (<see cref="VerifiedTerm"/>). Not
    /// the highest epoch accepted (the fence): a request of no records raises the fence, so a stale tail's fence can be as
    /// new as the newest leader's while its records are of a deposed term.
    /// </summary>
    internal static Head OwnHead(SequencerCore core, VerifiedTerm verified)
    {
        var end = core.Log is ReplicatedTransactionLog log ? log.LocalDurableEnd : core.DurableEnd;
        return new Head(verified.RankEpoch(core.LastLoggedEpoch, end), end);
    }

    public void Dispose() => _http.Dispose();

    private async Task<Head?> AskAsync(ReplicaPeer peer, CancellationToken cancellationToken)
    {
        try
        {
            var body = await _http.GetByteArrayAsync(new Uri(new Uri(peer.Url), Path), cancellationToken).ConfigureAwait(false);
            return ReplicationWire.TryReadAck(body, out var ack) ? new Head(ack.HighestEpoch, ack.DurableEnd) : null;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    /// <summary>A replica's head: the epoch of its last record and its durable end.</summary>
    internal readonly record struct Head(long LastEpoch, long End);
}
