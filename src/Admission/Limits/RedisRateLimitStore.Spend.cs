using System.Globalization;
using StackExchange.Redis;

namespace Admission.Limits;

/// <summary>
/// Wei budgets in Redis: a reservation is a hash (<c>spend:resv:{txHash}</c>, kept two days by Redis's clock) plus a member of the
/// pending set scored by its block; settle.lua charges, releases and deletes it in one step.
/// </summary>
internal sealed partial class RedisRateLimitStore : ISpendStore
{
    private const string PendingKey = "spend:pending";
    private static readonly string SettleScript = LoadScript("wei.lua", "settle.lua");

    // One step, so a reservation is never pending without its amounts (or the reverse).
    private const string RecordScript = """
        redis.call('HSET', KEYS[1], 'amount', ARGV[1], 'identity', ARGV[2], 'ikey', ARGV[3], 'gkey', ARGV[4])
        redis.call('PEXPIRE', KEYS[1], ARGV[5])
        redis.call('ZADD', KEYS[2], ARGV[6], ARGV[7])
        return 1
        """;

    public async ValueTask RecordAsync(SpendReservation reservation, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reservation);
        RedisKey[] keys = [redis.Key(Reservation(reservation.TxHash)), redis.Key(PendingKey)];
        RedisValue[] args =
        [
            reservation.AmountWei.ToString(CultureInfo.InvariantCulture), reservation.Identity,
            (string)redis.Key(reservation.IdentityKey)!, (string)redis.Key(reservation.GlobalKey)!,
            SpendReservation.KeepUs / 1000, reservation.BlockNumber, reservation.TxHash,
        ];
        await Run(static (database, call) => database.ScriptEvaluateAsync(RecordScript, call.keys, call.args), (keys, args), cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<IReadOnlyList<PendingSpend>> PendingAsync(ulong uptoBlock, int max, CancellationToken cancellationToken = default)
    {
        var entries = await Run(
            static (database, call) => database.SortedSetRangeByScoreWithScoresAsync(call.Key, double.NegativeInfinity, call.Upto, Exclude.None, Order.Ascending, 0, call.Max),
            (Key: redis.Key(PendingKey), Upto: (double)uptoBlock, Max: max), cancellationToken).ConfigureAwait(false);
        var pending = new PendingSpend[entries.Length];
        for (var i = 0; i < pending.Length; i++)
        {
            pending[i] = new PendingSpend(entries[i].Element!, (ulong)entries[i].Score);
        }

        return pending;
    }

    public async ValueTask<SettleOutcome> SettleAsync(string txHash, UInt128 actualWei, long nowUs, CancellationToken cancellationToken = default)
    {
        RedisKey[] keys = [redis.Key(Reservation(txHash)), redis.Key(PendingKey)];
        RedisValue[] args = [txHash, actualWei.ToString(CultureInfo.InvariantCulture)];
        var result = await Run(static (database, call) => database.ScriptEvaluateAsync(SettleScript, call.keys, call.args), (keys, args), cancellationToken).ConfigureAwait(false);
        var values = (RedisResult[])result!;
        return (long)values[0] == 0
            ? SettleOutcome.NotFound
            : new SettleOutcome(true, (string)values[1]!, UInt128.Parse((string)values[2]!, CultureInfo.InvariantCulture), UInt128.Parse((string)values[3]!, CultureInfo.InvariantCulture));
    }

    public async ValueTask<UInt128[]> ReadSpendAsync(IReadOnlyList<string> keys, long nowUs, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var redisKeys = new RedisKey[keys.Count];
        for (var i = 0; i < redisKeys.Length; i++)
        {
            redisKeys[i] = redis.Key(keys[i]);
        }

        var values = await Run(static (database, keys) => database.StringGetAsync(keys), redisKeys, cancellationToken).ConfigureAwait(false);
        var result = new UInt128[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            result[i] = values[i].HasValue ? UInt128.Parse((string)values[i]!, CultureInfo.InvariantCulture) : UInt128.Zero;
        }

        return result;
    }

    public async ValueTask<bool> TryMarkAsync(string key, long nowUs, long expiresAtUs, CancellationToken cancellationToken = default) =>
        await Run(
            static (database, call) => database.StringSetAsync(call.Key, 1, TimeSpan.FromMilliseconds(call.TtlMs), When.NotExists),
            (Key: redis.Key(key), TtlMs: Math.Max(1, (expiresAtUs - nowUs) / 1000)), cancellationToken).ConfigureAwait(false);

    private static string Reservation(string txHash) => "spend:resv:" + txHash;

    private async ValueTask<T> Run<T, TState>(Func<IDatabase, TState, Task<T>> command, TState state, CancellationToken cancellationToken)
    {
        var (available, value) = await circuit.RunAsync(redis.Database, command, state, cancellationToken).ConfigureAwait(false);
        return available ? value : throw new RateLimitStoreUnavailableException("the rate-limit store (Redis) is unavailable");
    }
}
