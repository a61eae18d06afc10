using System.Globalization;
using System.Text;
using TestInfrastructure.Ethereum;
using TestInfrastructure.Sequencer;
using Xunit.Abstractions;

namespace Acceptance.Security;

/// <summary>
/// A WebSocket client that asks for large replies and never reads them must not be able to grow the
/// sequencer's memory without bound (docs/operations.md, "WebSocket and JSON-RPC limits"). Measured on a
/// real sequencer process with its default settings: the resident set size of the process, from /proc.
/// </summary>
public sealed class WebSocketMemoryTests(ITestOutputHelper output)
{
    /// <summary>The documented bound: resident memory over the idle baseline while one such client is connected.</summary>
    private const long BoundBytes = 64L * 1024 * 1024;

    private const int Batches = 60;
    private const int CallsPerBatch = 100;
    private const int TransactionDataBytes = 120_000;
    private static readonly TimeSpan AttackObservation = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task A_client_that_never_reads_large_batch_replies_keeps_the_process_within_64_MiB_of_its_baseline()
    {
        await using var sequencer = await SequencerProcess.StartAsync("--Logging:LogLevel:Default=Warning");
        using var rpc = new RpcTestClient(sequencer.RpcUrl);
        var wallet = TestWallet.FromSeed(9_120, SequencerProcess.ChainId);
        var data = "0x" + string.Concat(Enumerable.Repeat("ab", TransactionDataBytes));
        var hash = (await rpc.ResultAsync("eth_sendRawTransaction", wallet.Sign1559(0, gas: 2_000_000, data: data))).GetString()!;
        var batch = Batch(hash);

        // Warm up the paths the attack uses (JIT, pools) so that the baseline is the process at work, not cold.
        Assert.Equal(TransactionDataBytes * 2 + 2, (await rpc.ResultAsync("eth_getTransactionByHash", hash)).GetProperty("input").GetString()!.Length);
        using (var reader = await RpcWebSocket.ConnectAsync(WebSocketUrl(sequencer)))
        {
            await reader.CallAsync(1, "eth_getTransactionByHash", $"[\"{hash}\"]");
        }

        await Task.Delay(1_000);
        var baseline = ResidentBytes(sequencer.Pid);

        using var attacker = await RpcWebSocket.ConnectAsync(WebSocketUrl(sequencer));
        // Sends may stall once the server stops reading; they are left running, never awaited with a timeout
        // (cancelling a send would abort the socket and end the attack early).
        var sent = 0;
        var sending = Task.Run(async () =>
        {
            for (var i = 0; i < Batches; i++)
            {
                await attacker.SendAsync(batch);
                Interlocked.Increment(ref sent);
            }
        });

        var peak = baseline;
        var samples = 0;
        var answered = 0;
        var watch = System.Diagnostics.Stopwatch.StartNew();
        while (watch.Elapsed < AttackObservation && sequencer.IsRunning)
        {
            await Task.Delay(200);
            peak = Math.Max(peak, ResidentBytes(sequencer.Pid));
            samples++;
            if (peak - baseline > BoundBytes)
            {
                break; // Already over: stop before the machine suffers.
            }

            if (samples % 10 == 0)
            {
                // The sequencer keeps answering everyone else meanwhile.
                await rpc.ResultAsync("eth_blockNumber");
                answered++;
            }
        }

        var growth = peak - baseline;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"baseline RSS {Mib(baseline):F1} MiB, peak {Mib(peak):F1} MiB, growth {Mib(growth):F1} MiB over {watch.Elapsed.TotalSeconds:F0} s ({samples} samples); " +
            $"{Volatile.Read(ref sent)} of {Batches} batches of {CallsPerBatch} x eth_getTransactionByHash ({batch.Length} bytes each) sent; {answered} HTTP calls answered meanwhile"));
        Assert.True(sequencer.IsRunning, "the sequencer died:\n" + sequencer.RecentOutput);
        Assert.True(growth < BoundBytes, string.Create(CultureInfo.InvariantCulture,
            $"RSS grew by {Mib(growth):F1} MiB (baseline {Mib(baseline):F1} MiB, peak {Mib(peak):F1} MiB), over the bound of {Mib(BoundBytes):F0} MiB"));
        Assert.True(answered > 0);
        _ = sending; // Ends when the connection is disposed.
    }

    private static Uri WebSocketUrl(SequencerProcess sequencer) => new($"ws://127.0.0.1:{sequencer.Port}/ws");

    private static byte[] Batch(string hash)
    {
        var text = new StringBuilder("[");
        for (var i = 0; i < CallsPerBatch; i++)
        {
            text.Append(i == 0 ? "" : ",")
                .Append(CultureInfo.InvariantCulture, $"{{\"jsonrpc\":\"2.0\",\"id\":{i},\"method\":\"eth_getTransactionByHash\",\"params\":[\"{hash}\"]}}");
        }

        return Encoding.UTF8.GetBytes(text.Append(']').ToString());
    }

    /// <summary>VmRSS of the process, from /proc (Linux).</summary>
    private static long ResidentBytes(int pid)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                var kib = long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
                return kib * 1024;
            }
        }

        throw new InvalidOperationException($"no VmRSS for process {pid}");
    }

    private static double Mib(long bytes) => bytes / (1024.0 * 1024.0);
}
