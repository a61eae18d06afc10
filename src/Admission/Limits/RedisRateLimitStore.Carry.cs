using StackExchange.Redis;

namespace Admission.Limits;

/// <summary>Usage carried between keys in one EVAL of carry.lua, so no request on any replica sees half a move.</summary>
internal sealed partial class RedisRateLimitStore
{
    private static readonly string CarryScript = LoadScript("carry.lua");

    public async ValueTask CarryAsync(UsageCarry carry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(carry);
        var keys = new List<RedisKey>();
        var args = new List<RedisValue> { carry.NowUs, carry.Entries.Length };
        foreach (var entry in carry.Entries)
        {
            keys.Add(redis.Key(entry.Target));
            foreach (var source in entry.Sources)
            {
                keys.Add(redis.Key(source));
            }

            args.Add(entry.IsRate ? 1 : 0);
            args.Add(entry.Mode == CarryMode.Max ? 1 : 0);
            args.Add(entry.Sources.Length);
            args.Add(entry.ResetAtUs);
        }

        if (carry.Board is { } board)
        {
            keys.Add(redis.Key(board.BoardKey));
            args.Add(board.Target);
            args.Add(board.ResetAtUs);
            args.Add(board.Sources.Length);
            foreach (var source in board.Sources)
            {
                args.Add(source);
            }
        }

        var (available, _) = await circuit.RunAsync(
            redis.Database, static (database, call) => database.ScriptEvaluateAsync(CarryScript, call.Keys, call.Args), (Keys: keys.ToArray(), Args: args.ToArray()), cancellationToken).ConfigureAwait(false);
        if (!available)
        {
            throw new RateLimitStoreUnavailableException("the rate-limit store (Redis) is unavailable");
        }
    }
}
