using dotnet_etcd;
using Etcdserverpb;
using Google.Protobuf;
using Grpc.Core;

namespace Sequencer.Replication;

/// <summary>The leader key as etcd holds it: who holds it and with which epoch (the key's create revision).</summary>
/// <param name="Record">The value; null when the key holds something that is not a leader record.</param>
/// <param name="Epoch">The key's create revision.</param>
/// <param name="LeaseId">The lease the key is attached to.</param>
internal sealed record LeaderKeyValue(LeaderRecord? Record, long Epoch, long LeaseId);

/// <summary>
/// The etcd requests of an election: leases, the leader key's create-if-absent, reads, and a bounded wait for the key to
/// change. Every request has a deadline, so a hung etcd member costs a timeout, never a stuck election.
/// </summary>
internal sealed class EtcdLeaderKey(EtcdClient client, string leaderKey, TimeSpan timeout)
{
    private readonly ByteString _key = ByteString.CopyFromUtf8(leaderKey);

    public async Task<(long LeaseId, long TtlSeconds)> GrantLeaseAsync(long ttlSeconds, CancellationToken cancellationToken)
    {
        var granted = await client.LeaseGrantAsync(new LeaseGrantRequest { TTL = ttlSeconds }, deadline: Deadline(), cancellationToken: cancellationToken).ConfigureAwait(false);
        if (!string.IsNullOrEmpty(granted.Error))
        {
            throw new InvalidOperationException("etcd refused a lease: " + granted.Error);
        }

        return (granted.ID, granted.TTL);
    }

    /// <summary>One keep-alive round trip. Returns the TTL etcd renewed the lease to; 0 when the lease is gone (expired or revoked).</summary>
    public async Task<long> KeepAliveOnceAsync(long leaseId, TimeSpan deadline, CancellationToken cancellationToken)
    {
        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutSource.CancelAfter(deadline);
        long? ttl = null;
        await client.LeaseKeepAlive(new LeaseKeepAliveRequest { ID = leaseId }, response =>
        {
            if (response.ID == leaseId)
            {
                ttl = response.TTL;
            }
        }, timeoutSource.Token).ConfigureAwait(false);
        return ttl ?? throw new RpcException(new Status(StatusCode.Unavailable, "etcd closed the keep-alive stream without an answer"));
    }

    /// <summary>Revokes a lease (its keys go with it). A lease etcd no longer knows counts as revoked.</summary>
    public async Task RevokeAsync(long leaseId, CancellationToken cancellationToken)
    {
        try
        {
            await client.LeaseRevokeAsync(new LeaseRevokeRequest { ID = leaseId }, deadline: Deadline(), cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.NotFound)
        {
        }
    }

    /// <summary>
    /// Creates the leader key under <paramref name="leaseId"/> if no key exists. Won: the epoch is the revision of that
    /// create. Lost: the key as it is, with the revision the read saw.
    /// </summary>
    public async Task<(bool Won, long Epoch, LeaderKeyValue? Holder, long Revision)> TryCreateAsync(LeaderRecord record, long leaseId, CancellationToken cancellationToken)
    {
        var txn = new TxnRequest();
        txn.Compare.Add(new Compare
        {
            Key = _key,
            Target = Compare.Types.CompareTarget.Create,
            Result = Compare.Types.CompareResult.Equal,
            CreateRevision = 0,
        });
        txn.Success.Add(new RequestOp { RequestPut = new PutRequest { Key = _key, Value = ByteString.CopyFrom(record.ToUtf8()), Lease = leaseId } });
        txn.Failure.Add(new RequestOp { RequestRange = new RangeRequest { Key = _key } });
        var response = await client.TransactionAsync(txn, deadline: Deadline(), cancellationToken: cancellationToken).ConfigureAwait(false);
        if (response.Succeeded)
        {
            return (true, response.Header.Revision, null, response.Header.Revision);
        }

        var kvs = response.Responses.Count > 0 ? response.Responses[0].ResponseRange?.Kvs : null;
        return (false, 0, kvs is { Count: > 0 } ? ToValue(kvs[0]) : null, response.Header.Revision);
    }

    /// <summary>The leader key now (null: nobody leads) and the revision of the read.</summary>
    public async Task<(LeaderKeyValue? Holder, long Revision)> ReadAsync(CancellationToken cancellationToken)
    {
        var response = await client.GetAsync(new RangeRequest { Key = _key }, deadline: Deadline(), cancellationToken: cancellationToken).ConfigureAwait(false);
        return (response.Kvs.Count > 0 ? ToValue(response.Kvs[0]) : null, response.Header.Revision);
    }

    /// <summary>
    /// Waits until the leader key changes after <paramref name="revision"/> (deleted: a lease ended or a leader resigned;
    /// or written), or <paramref name="atMost"/> passes. Returns true when a change was seen; false when the time passed or
    /// etcd ended the watch (the caller reads the key again either way).
    /// </summary>
    public async Task<bool> WaitForChangeAsync(long revision, TimeSpan atMost, CancellationToken cancellationToken)
    {
        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutSource.CancelAfter(atMost);
        try
        {
            using var watch = client.GetConnection().WatchClient.Watch(cancellationToken: timeoutSource.Token);
            await watch.RequestStream.WriteAsync(new WatchRequest
            {
                CreateRequest = new WatchCreateRequest { Key = _key, StartRevision = revision + 1 },
            }, timeoutSource.Token).ConfigureAwait(false);
            while (await watch.ResponseStream.MoveNext(timeoutSource.Token).ConfigureAwait(false))
            {
                var update = watch.ResponseStream.Current;
                if (update.Events.Count > 0)
                {
                    return true;
                }

                if (update.Canceled)
                {
                    return false; // e.g. the revision was compacted away: the caller reads the key again
                }
            }

            return false;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
        catch (RpcException ex) when (ex.StatusCode is StatusCode.Cancelled or StatusCode.DeadlineExceeded && !cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    private DateTime Deadline() => DateTime.UtcNow + timeout; // a network deadline for gRPC: wall clock, not the election's TimeProvider

    private static LeaderKeyValue ToValue(Mvccpb.KeyValue kv) => new(LeaderRecord.TryParse(kv.Value.Span), kv.CreateRevision, kv.Lease);
}
