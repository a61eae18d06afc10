using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using TestInfrastructure.Ethereum;
using TestInfrastructure.Sequencer;

namespace Acceptance.Replication;

/// <summary>A soft confirmation a client received: from which replica, when (ticks of <see cref="FailoverLoad.Clock"/>).</summary>
internal sealed record Received(JsonElement Confirmation, int Node, long At, bool Late)
{
    public string TxHash => Confirmation.GetProperty("txHash").GetString()!;

    public ulong Sequence => SoftConfirmationVerifier.Quantity(Confirmation, "sequence");
}

/// <summary>
/// Clients writing to a replica set through failovers, as a careful dApp backend would: each sends its wallets'
/// transactions one at a time and sends the same signed bytes again until it gets a confirmation (an idempotent
/// re-send returns the confirmation of a transaction already held; one that was lost is sequenced anew). It follows
/// <c>not_leader</c>'s <c>leaderUrl</c>, tries the next replica when one does not answer, and after
/// <see cref="StuckAfter"/> gives up waiting on a replica but keeps listening: an answer that comes later (from a paused
/// leader that was resumed) is recorded too, as a confirmation a client received.
/// </summary>
internal sealed class FailoverLoad(ReplicaProcessSet set, int clients, int walletSeed)
{
    private static readonly TimeSpan StuckAfter = TimeSpan.FromMilliseconds(1500);

    private readonly ConcurrentQueue<Received> _received = new();
    private readonly ConcurrentQueue<string> _unexpected = new();
    private readonly CancellationTokenSource _stop = new();
    private Task[] _clients = [];

    public Stopwatch Clock { get; } = Stopwatch.StartNew();

    /// <summary>Every confirmation received, late ones included, in the order they came.</summary>
    public IReadOnlyCollection<Received> All => _received;

    /// <summary>Answers no client should get for a valid transaction (anything but a confirmation or -32005).</summary>
    public IReadOnlyCollection<string> Unexpected => _unexpected;

    public int Count => _received.Count;

    public void Start() => _clients = Enumerable.Range(0, clients).Select(c => Task.Run(() => RunClientAsync(c))).ToArray();

    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_clients);
    }

    /// <summary>The first confirmation received from another node than <paramref name="node"/> after <paramref name="since"/>.</summary>
    public Received? FirstFromOtherThan(int node, long since) =>
        _received.Where(r => r.Node != node && r.At > since).OrderBy(r => r.At).FirstOrDefault();

    public int CountFrom(int node, long since) => _received.Count(r => r.Node == node && r.At > since);

    public TimeSpan Elapsed(long from, long to) => TimeSpan.FromSeconds((to - from) / (double)Stopwatch.Frequency);

    private async Task RunClientAsync(int client)
    {
        // One client per connection pool, a long deadline: a slow answer is waited for in the background (see above).
        var rpcs = Enumerable.Range(0, 3).Select(n => new RpcTestClient(set.Url(n), TimeSpan.FromSeconds(120))).ToArray();
        var wallets = Enumerable.Range(0, 2).Select(w => TestWallet.FromSeed(walletSeed + (client * 10) + w, SequencerProcess.ChainId)).ToArray();
        var target = client % 3;
        var next = 0;
        while (!_stop.IsCancellationRequested)
        {
            var wallet = wallets[next++ % wallets.Length];
            var raw = wallet.Sign1559(wallet.TakeNonce());
            var confirmed = false;
            while (!confirmed && !_stop.IsCancellationRequested)
            {
                var node = target;
                var call = rpcs[node].CallAsync("sequencer_sendRawTransaction", raw);
                if (await Task.WhenAny(call, Task.Delay(StuckAfter)) != call)
                {
                    _ = RecordLateAsync(call, node);
                    target = (target + 1) % 3;
                    continue;
                }

                RpcResponse response;
                try
                {
                    response = await call;
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or InvalidOperationException)
                {
                    // Down, or restarting: the next replica.
                    target = (target + 1) % 3;
                    await Task.Delay(20);
                    continue;
                }

                if (response.Error is null)
                {
                    _received.Enqueue(new Received(response.Result.Clone(), node, Clock.ElapsedTicks, Late: false));
                    confirmed = true;
                }
                else if (response.ErrorCode == -32005)
                {
                    target = Redirect(response.Error.Value, node);
                    await Task.Delay(target == node ? 50 : 5);
                }
                else
                {
                    _unexpected.Enqueue($"client {client} from n{node}: {response.Error.Value.GetRawText()}");
                    return;
                }
            }
        }

        foreach (var rpc in rpcs)
        {
            rpc.Dispose();
        }
    }

    /// <summary>Where to send next after a -32005: the leader a follower names, the next replica when none is named.</summary>
    private int Redirect(JsonElement error, int node)
    {
        if (error.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Object)
        {
            if (data.TryGetProperty("leaderUrl", out var url) && url.GetString() is { } leaderUrl)
            {
                for (var n = 0; n < 3; n++)
                {
                    if (set.Url(n).ToString().TrimEnd('/') == leaderUrl.TrimEnd('/'))
                    {
                        return n;
                    }
                }
            }

            // "replication": the leader could not gather acknowledgements yet; the same bytes again, to it.
            if (data.TryGetProperty("reason", out var reason) && reason.GetString() == "replication")
            {
                return node;
            }
        }

        return (node + 1) % 3;
    }

    private async Task RecordLateAsync(Task<RpcResponse> call, int node)
    {
        try
        {
            var response = await call;
            if (response.Error is null)
            {
                _received.Enqueue(new Received(response.Result.Clone(), node, Clock.ElapsedTicks, Late: true));
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or InvalidOperationException)
        {
        }
    }
}
