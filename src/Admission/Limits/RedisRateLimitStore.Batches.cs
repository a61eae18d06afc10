using StackExchange.Redis;

namespace Admission.Limits;

/// <summary>
/// Admissions go to Redis in batches: one call at a time is in flight, and the requests that arrive meanwhile leave
/// together in the next one (acquire_batch.lua runs acquire.lua for each, in order). At low load a batch is one request
/// and nothing waits; under load each round trip, script call and reply carries many admissions, which is what the
/// sponsored path with Redis paid for per transaction (syscalls, thread wake-ups, the client's per-command work and
/// redis-server's per-call work). A batch is one atomic step, the same as its requests sent one by one in order, so every
/// limit holds exactly as before; when the call fails or times out, every request in it is answered Unavailable.
/// </summary>
internal sealed partial class RedisRateLimitStore
{
    /// <summary>Most requests in one call: bounds the script's run (Redis serves nothing else meanwhile) and the reply.</summary>
    internal const int MaxBatch = 64;

    private readonly Lock _batchLock = new();
    private List<PendingAcquire> _waiting = new(MaxBatch);
    private List<PendingAcquire> _spare = new(MaxBatch);
    private bool _sending;

    // The batch's KEYS and ARGV, built again for each call by the one sender at a time (_sending): kept across calls and
    // send loops, so they stop growing once they have held a full batch (a new pair per loop re-grew them from empty).
    private readonly List<RedisKey> _keys = new(MaxBatch * 12);
    private readonly List<RedisValue> _args = new(MaxBatch * 32);

    private Task<LimitOutcome> Enqueue(LimitRequest request)
    {
        // Continuations run on the thread pool: the sender must not run each admitted request's signing and sequencing.
        var pending = new PendingAcquire(request);
        bool start;
        lock (_batchLock)
        {
            _waiting.Add(pending);
            start = !_sending;
            _sending = true;
        }

        if (start)
        {
            _ = SendBatchesAsync();
        }

        return pending.Task;
    }

    // Sends what is waiting, then what arrived during that call, until nothing waits.
    private async Task SendBatchesAsync()
    {
        var (keys, args) = (_keys, _args);
        while (true)
        {
            List<PendingAcquire> batch;
            lock (_batchLock)
            {
                if (_waiting.Count == 0)
                {
                    _sending = false;
                    return;
                }

                batch = _waiting;
                _waiting = _spare;
                _spare = batch;
            }

            // The batch list is the spare one until the next swap: requests beyond MaxBatch go back to wait.
            var count = Math.Min(batch.Count, MaxBatch);
            if (batch.Count > count)
            {
                lock (_batchLock)
                {
                    _waiting.InsertRange(0, batch.GetRange(count, batch.Count - count));
                }
            }

            try
            {
                await SendAsync(batch, count, keys, args).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                // A bug, not Redis being unavailable (RunAsync answers that): the callers see it, the sender goes on.
                for (var i = 0; i < count; i++)
                {
                    batch[i].TrySetException(e);
                }
            }

            batch.Clear();
            keys.Clear();
            args.Clear();
        }
    }

    private async Task SendAsync(List<PendingAcquire> batch, int count, List<RedisKey> keys, List<RedisValue> args)
    {
        args.Add(count);
        for (var i = 0; i < 2 * count; i++)
        {
            args.Add(RedisValue.Null);
        }

        for (var i = 0; i < count; i++)
        {
            var (keyCount, argCount) = AppendArguments(batch[i].Request, keys, args);
            args[1 + 2 * i] = keyCount;
            args[2 + 2 * i] = argCount;
        }

        var (available, result) = await circuit.RunAsync(
            redis.Database, static (database, call) => database.ScriptEvaluateAsync(Script, call.Keys, call.Args), (Keys: keys.ToArray(), Args: args.ToArray()),
            CancellationToken.None).ConfigureAwait(false);
        if (!available)
        {
            for (var i = 0; i < count; i++)
            {
                batch[i].TrySetResult(LimitOutcome.Unavailable);
            }

            return;
        }

        var replies = (RedisResult[])result!;
        for (var i = 0; i < count; i++)
        {
            batch[i].TrySetResult(Outcome(batch[i].Request, replies[i]));
        }
    }

    private sealed class PendingAcquire(LimitRequest request) : TaskCompletionSource<LimitOutcome>(TaskCreationOptions.RunContinuationsAsynchronously)
    {
        public LimitRequest Request { get; } = request;
    }
}
