using System.Collections.Concurrent;
using System.Net.Http;
using System.Text.Json;
using TestInfrastructure.Ethereum;
using TestInfrastructure.Sequencer;
using Xunit.Abstractions;
using TestInfrastructure;

namespace Acceptance.Crash;

/// <summary>
/// The sequencer as a child process under load, SIGKILLed at random moments and restarted:
/// every confirmation a client received survives at the same sequence with the same accumulator.
/// </summary>
public sealed class CrashRecoveryTests(ITestOutputHelper output)
{
    private const int Kills = 4;
    private const int Workers = 8;

    // A bound on a hung run, not a performance assertion: 50 confirmations take well under a second.
    private static readonly TimeSpan LoadTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Confirmations_survive_repeated_SIGKILL_at_the_same_sequence_and_accumulator()
    {
        await using var sequencer = await SequencerProcess.StartAsync("--Logging:LogLevel:Default=Warning");
        var sequencerAddress = new Nethereum.Signer.EthECKey(SequencerProcess.TestPrivateKey).GetPublicAddress().ToLowerInvariant();
        var received = new ConcurrentDictionary<string, JsonElement>();
        using var stop = new CancellationTokenSource();
        // The kill moments are random; the seed is logged so that a failing run can be replayed.
        var seed = Environment.TickCount;
        output.WriteLine($"random seed: {seed}");
        var random = new Random(seed);
        var load = Enumerable.Range(0, Workers).Select(worker => Task.Run(() => SendUntilStoppedAsync(sequencer.RpcUrl, worker, received, stop.Token))).ToArray();

        var receivedBeforeKill = new List<int>();
        for (var kill = 0; kill < Kills; kill++)
        {
            var countAtStart = received.Count;
            await Eventually.UntilAsync(() => received.Count >= countAtStart + 50, LoadTimeout, $"50 more confirmations after {countAtStart} (seed {seed})");

            await Task.Delay(random.Next(0, 400));
            await sequencer.KillAsync();
            receivedBeforeKill.Add(received.Count);
            await Task.Delay(random.Next(50, 300));
            await sequencer.RestartAsync();
        }

        await Eventually.UntilAsync(() => received.Count >= receivedBeforeKill[^1] + 50, LoadTimeout, $"50 confirmations after the last restart (seed {seed})");

        await stop.CancelAsync();
        await Task.WhenAll(load);
        output.WriteLine($"confirmations received: {received.Count}; at each kill: {string.Join(", ", receivedBeforeKill)}");

        using var rpc = new RpcTestClient(sequencer.RpcUrl);
        var bySequence = new Dictionary<ulong, string>();
        foreach (var (hash, confirmation) in received)
        {
            var sequence = SoftConfirmationVerifier.Quantity(confirmation, "sequence");
            Assert.True(bySequence.TryAdd(sequence, hash), $"sequence {sequence} was given to two transactions");
            var stored = await rpc.ResultAsync("sequencer_getSoftConfirmation", hash);
            Assert.Equal(JsonValueKind.Object, stored.ValueKind);
            Assert.Equal(sequence, SoftConfirmationVerifier.Quantity(stored, "sequence"));
            Assert.Equal(confirmation.GetProperty("accumulator").GetString(), stored.GetProperty("accumulator").GetString());
            Assert.Equal(sequencerAddress, SoftConfirmationVerifier.RecoverSigner(confirmation, SequencerProcess.ChainId));
        }

        await AssertPublishedChainCoversAsync(rpc, received);
    }

    /// <summary>
    /// Walks the published blocks from genesis, recomputing the accumulator over every transaction:
    /// sequences are gap-free and every received confirmation sits where it said.
    /// </summary>
    private static async Task AssertPublishedChainCoversAsync(RpcTestClient rpc, ConcurrentDictionary<string, JsonElement> received)
    {
        var status = await rpc.ResultAsync("sequencer_getStatus");
        var total = SoftConfirmationVerifier.Quantity(status.GetProperty("head"), "nextSequence");
        var accumulator = "0x" + new string('0', 64);
        var sequence = 0UL;
        var seen = 0;
        for (var number = 1UL; sequence < total; number++)
        {
            var block = await WaitForBlockAsync(rpc, number);
            foreach (var hash in block.GetProperty("transactions").EnumerateArray())
            {
                var txHash = hash.GetString()!;
                accumulator = SoftConfirmationVerifier.NextAccumulator(accumulator, txHash);
                if (received.TryGetValue(txHash, out var confirmation))
                {
                    Assert.Equal(sequence, SoftConfirmationVerifier.Quantity(confirmation, "sequence"));
                    Assert.Equal(accumulator, confirmation.GetProperty("accumulator").GetString());
                    Assert.Equal(number, SoftConfirmationVerifier.Quantity(confirmation, "blockNumber"));
                    seen++;
                }

                sequence++;
            }
        }

        Assert.Equal(received.Count, seen);
    }

    private static Task<JsonElement> WaitForBlockAsync(RpcTestClient rpc, ulong number) => Eventually.UntilAsync(
        () => rpc.ResultAsync("eth_getBlockByNumber", "0x" + number.ToString("x"), false),
        block => block.ValueKind == JsonValueKind.Object,
        TimeSpan.FromSeconds(5),
        _ => $"block {number} was never published");

    /// <summary>
    /// One client: sends from a few wallets in turn. A send that fails because the process died is
    /// retried with the same signed bytes once it is back, so an idempotent resend returns the
    /// confirmation of a durable transaction, and a lost one is sequenced anew.
    /// </summary>
    private static async Task SendUntilStoppedAsync(Uri url, int worker, ConcurrentDictionary<string, JsonElement> received, CancellationToken stop)
    {
        using var rpc = new RpcTestClient(url);
        var wallets = Enumerable.Range(0, 4).Select(i => TestWallet.FromSeed(90_000 + (worker * 10) + i, SequencerProcess.ChainId)).ToArray();
        var next = 0;
        while (!stop.IsCancellationRequested)
        {
            var wallet = wallets[next++ % wallets.Length];
            var raw = wallet.Sign1559(wallet.TakeNonce());
            while (true)
            {
                try
                {
                    var response = await rpc.CallAsync("sequencer_sendRawTransaction", raw);
                    if (response.Error is not null)
                    {
                        throw new InvalidOperationException($"sequencer refused a valid transaction: {response.ErrorCode} {response.ErrorMessage}");
                    }

                    var confirmation = response.Result.Clone();
                    received[confirmation.GetProperty("txHash").GetString()!] = confirmation;
                    break;
                }
                catch (HttpRequestException)
                {
                    // The process is down: wait for the restart and send the same bytes again.
                    await Task.Delay(50, CancellationToken.None);
                }
                catch (TaskCanceledException)
                {
                    await Task.Delay(50, CancellationToken.None);
                }
            }
        }
    }
}
