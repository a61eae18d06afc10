using Admission.Limits;
using StackExchange.Redis;

namespace Admission.Identity.Sessions;

/// <summary>
/// Sessions shared by every replica on one Redis: one key per session, holding the identity key and
/// expiring with the session's absolute lifetime. Logout on any replica deletes it for all of them.
/// </summary>
internal sealed class RedisSessionStore(RedisConnection redis, TimeProvider time) : ISessionStore
{
    public async ValueTask<SessionStoreStatus> AddAsync(string sessionId, string identityKey, DateTimeOffset expiresAt, CancellationToken cancellationToken = default)
    {
        var ttl = expiresAt - time.GetUtcNow();
        if (ttl <= TimeSpan.Zero)
        {
            return SessionStoreStatus.Unknown;
        }

        try
        {
            await redis.Database.StringSetAsync(Key(sessionId), identityKey, ttl).ConfigureAwait(false);
            return SessionStoreStatus.Ok;
        }
        catch (Exception ex) when (IsUnavailable(ex))
        {
            return SessionStoreStatus.Unavailable;
        }
    }

    public async ValueTask<SessionStoreStatus> CheckAsync(string sessionId, string identityKey, CancellationToken cancellationToken = default)
    {
        try
        {
            var stored = await redis.Database.StringGetAsync(Key(sessionId)).ConfigureAwait(false);
            return stored.HasValue && string.Equals(stored.ToString(), identityKey, StringComparison.Ordinal) ? SessionStoreStatus.Ok : SessionStoreStatus.Unknown;
        }
        catch (Exception ex) when (IsUnavailable(ex))
        {
            return SessionStoreStatus.Unavailable;
        }
    }

    public async ValueTask<SessionStoreStatus> RemoveAsync(string sessionId, CancellationToken cancellationToken = default)
    {
        try
        {
            await redis.Database.KeyDeleteAsync(Key(sessionId)).ConfigureAwait(false);
            return SessionStoreStatus.Ok;
        }
        catch (Exception ex) when (IsUnavailable(ex))
        {
            return SessionStoreStatus.Unavailable;
        }
    }

    // A session check that cannot be answered is never a pass: any Redis failure refuses the cookie.
    private static bool IsUnavailable(Exception ex) => RedisConnection.IsUnavailable(ex) || ex is RedisException;

    private RedisKey Key(string sessionId) => redis.Key("session:" + sessionId);
}
