namespace Admission.Identity.Sessions;

/// <summary>
/// The server-side record of every live login session. A session cookie is honoured only while its
/// record exists, so logging out (which deletes the record) ends the session everywhere, also for a
/// copy of the cookie. Kept where the rate limits are: in process (<see cref="EmbeddedSessionStore"/>)
/// or in Redis (<see cref="RedisSessionStore"/>), shared by the replicas.
/// </summary>
internal interface ISessionStore
{
    /// <summary>Records a new session of <paramref name="identityKey"/> that ends at <paramref name="expiresAt"/> at the latest.</summary>
    ValueTask<SessionStoreStatus> AddAsync(string sessionId, string identityKey, DateTimeOffset expiresAt, CancellationToken cancellationToken = default);

    /// <summary><see cref="SessionStoreStatus.Ok"/> when the session is recorded for <paramref name="identityKey"/>, <see cref="SessionStoreStatus.Unknown"/> when it ended or never existed.</summary>
    ValueTask<SessionStoreStatus> CheckAsync(string sessionId, string identityKey, CancellationToken cancellationToken = default);

    /// <summary>Ends a session (logout).</summary>
    ValueTask<SessionStoreStatus> RemoveAsync(string sessionId, CancellationToken cancellationToken = default);
}

internal enum SessionStoreStatus : byte
{
    Ok,

    /// <summary>No such live session.</summary>
    Unknown,

    /// <summary>The store (Redis) cannot be reached; nothing was decided or changed.</summary>
    Unavailable,
}
