using System.Globalization;
using StackExchange.Redis;

namespace Admission.Limits;

/// <summary>
/// Limit state in Redis, shared by every replica. Each decision is one run of acquire.lua, which checks and takes
/// atomically on the server (and, for a request with an owner, finds its person first in the same step); the decisions
/// that arrive while a call is in flight go together in the next EVALSHA (see <c>RedisRateLimitStore.Batches.cs</c>).
/// When Redis cannot serve the call (unreachable, too slow,
/// or answering with an error) the answer is <see cref="LimitStatus.Unavailable"/>: never an exception,
/// and never more than one short timeout (<see cref="RedisCircuit"/>).
/// Not for Redis Cluster: one request's keys (identity and global) live in different hash slots.
/// </summary>
internal sealed partial class RedisRateLimitStore(RedisConnection redis, RedisCircuit circuit) : IRateLimitStore
{
    private static readonly string Script = LoadScript("wei.lua", "acquire.lua", "acquire_batch.lua");

    public ValueTask<LimitOutcome> AcquireAsync(LimitRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        cancellationToken.ThrowIfCancellationRequested();
        return redis.IsConnected ? new ValueTask<LimitOutcome>(Enqueue(request)) : ValueTask.FromResult(LimitOutcome.Unavailable);
    }

    /// <summary>One request's outcome from its acquire.lua reply.</summary>
    private static LimitOutcome Outcome(LimitRequest request, RedisResult reply)
    {
        var values = (RedisResult[])reply!;
        var rates = request.Rates;
        var quotas = request.Quotas;
        var spends = request.Spends;
        if ((long)values[0] == 1)
        {
            var person = (string)values[1]!;
            var allowed = spends.Length == 0 ? LimitOutcome.Allowed : LimitOutcome.Allowed with { SpendTotals = ParseTotals(values) };
            return person.Length == 0 ? allowed : allowed with { Person = person };
        }

        var index = (int)(long)values[1] - 1;
        var rule = index < rates.Length ? rates[index].Rule
            : index < rates.Length + quotas.Length ? quotas[index - rates.Length].Rule
            : spends[index - rates.Length - quotas.Length].Rule;
        return LimitOutcome.Limited(rule, (long)values[2]);
    }

    /// <summary>Persons kept in this store's Redis are found by acquire.lua itself.</summary>
    public bool ResolvesPersons(People.IPersonStore people) => people is People.RedisPersonStore store && ReferenceEquals(store.Connection, redis);

    // One request's KEYS and ARGV for acquire.lua (see the script's header), appended to a batch's; returns their counts.
    private (int Keys, int Args) AppendArguments(LimitRequest request, List<RedisKey> keys, List<RedisValue> args)
    {
        var rates = request.Rates;
        var quotas = request.Quotas;
        var spends = request.Spends;
        var board = request.Usage is null ? 0 : 1;
        var (firstKey, firstArg) = (keys.Count, args.Count);
        Span<char> personal = stackalloc char[rates.Length + quotas.Length + spends.Length];
        args.Add(request.NowUs);
        args.Add(rates.Length);
        args.Add(quotas.Length);
        args.Add(spends.Length);
        args.Add(board);
        args.Add(request.Owner ?? string.Empty);
        var flags = args.Count;
        args.Add(RedisValue.Null);
        var k = 0;
        foreach (var rate in rates)
        {
            personal[k++] = rate.Personal ? '1' : '0';
            keys.Add(redis.Key(rate.Key));
            args.Add(rate.IntervalUs);
            args.Add(rate.ToleranceUs);
        }

        foreach (var quota in quotas)
        {
            personal[k++] = quota.Personal ? '1' : '0';
            keys.Add(redis.Key(quota.Key));
            args.Add(quota.Amount);
            args.Add(quota.Limit ?? -1);
            args.Add(quota.ResetAtUs);
        }

        foreach (var spend in spends)
        {
            personal[k++] = spend.Personal ? '1' : '0';
            keys.Add(redis.Key(spend.Key));
            args.Add(Wei(spend.AmountWei));
            args.Add(spend.LimitWei is { } limit ? Wei(limit) : MinusOne);
            args.Add(spend.ResetAtUs);
        }

        args[flags] = new string(personal);
        if (request.Usage is { } usage)
        {
            keys.Add(redis.Key(usage.BoardKey));
            args.Add(usage.Member);
            args.Add(usage.Score);
            args.Add(usage.ResetAtUs);
        }

        if (request.Owner is { } owner)
        {
            keys.Add(redis.Key(People.PersonKeys.Of(owner)));
        }

        return (keys.Count - firstKey, args.Count - firstArg);
    }

    public async ValueTask<long[]> ReadAsync(IReadOnlyList<string> keys, long nowUs, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var redisKeys = new RedisKey[keys.Count];
        for (var i = 0; i < redisKeys.Length; i++)
        {
            redisKeys[i] = redis.Key(keys[i]);
        }

        var (available, values) = await circuit.RunAsync(
            redis.Database, static (database, keys) => database.StringGetAsync(keys), redisKeys, cancellationToken).ConfigureAwait(false);
        if (!available)
        {
            throw new RateLimitStoreUnavailableException("the rate-limit store (Redis) is unavailable");
        }

        var result = new long[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            result[i] = values[i].TryParse(out long value) ? value : 0;
        }

        return result;
    }

    public async ValueTask<IReadOnlyList<BoardEntry>> TopAsync(string boardKey, int count, long nowUs, CancellationToken cancellationToken = default)
    {
        var (available, entries) = await circuit.RunAsync(
            redis.Database,
            static (database, call) => database.SortedSetRangeByRankWithScoresAsync(call.Key, 0, call.Count - 1, Order.Descending),
            (Key: redis.Key(boardKey), Count: count),
            cancellationToken).ConfigureAwait(false);
        if (!available)
        {
            throw new RateLimitStoreUnavailableException("the rate-limit store (Redis) is unavailable");
        }

        var top = new BoardEntry[entries.Length];
        for (var i = 0; i < entries.Length; i++)
        {
            top[i] = new BoardEntry(entries[i].Element!, (long)entries[i].Score);
        }

        return top;
    }

    private static readonly RedisValue MinusOne = "-1";

    /// <summary>
    /// Wei as the decimal text acquire.lua reads: an amount that fits 64 bits goes as a number, which the client writes as
    /// the same digits without a string of its own; only a larger one is formatted.
    /// </summary>
    private static RedisValue Wei(UInt128 amount) =>
        amount <= ulong.MaxValue ? (RedisValue)(ulong)amount : amount.ToString(CultureInfo.InvariantCulture);

    private static UInt128[] ParseTotals(RedisResult[] values)
    {
        var totals = new UInt128[values.Length - 2];
        for (var i = 0; i < totals.Length; i++)
        {
            // The client keeps a reply's digits as a number when they fit one: read it as such, without a string.
            var value = (RedisValue)values[i + 2];
            totals[i] = value.TryParse(out long small) && small >= 0 ? (ulong)small : UInt128.Parse((string)value!, CultureInfo.InvariantCulture);
        }

        return totals;
    }

    /// <summary>The scripts <paramref name="names"/> as one (wei.lua before the scripts that use its functions).</summary>
    private static string LoadScript(params string[] names)
    {
        var text = new System.Text.StringBuilder();
        foreach (var name in names)
        {
            using var stream = typeof(RedisRateLimitStore).Assembly.GetManifestResourceStream("Admission." + name)
                ?? throw new InvalidOperationException(name + " is missing from the Admission assembly");
            using var reader = new StreamReader(stream);
            text.Append(reader.ReadToEnd()).Append('\n');
        }

        return text.ToString();
    }
}
