using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Acceptance.Batching;
using Batcher.L1;
using TestInfrastructure;
using TestInfrastructure.Anvil;
using TestInfrastructure.Ethereum;
using TestInfrastructure.Sequencer;
using Xunit.Abstractions;

namespace Acceptance.Replication;

/// <summary>
/// Three sequencer processes on a three-member etcd under load from eight clients; the leader is SIGKILLed and SIGSTOPped
/// past its lease again and again (issue 12, "Done when"). The short run is part of the test command; bench/failover.sh
/// runs the long one (FAILOVER_KILLS=20 FAILOVER_STOPS=5) and writes the failover figures.
/// </summary>
[Collection(ReplicaSetFixture.Collection)]
public sealed class FailoverTests(ReplicaSetFixture fixture, ITestOutputHelper output)
{
    private const int Clients = 8;
    private const int ConfirmationsBetweenFaults = 50;

    private static readonly string SequencerAddress = new Nethereum.Signer.EthECKey(SequencerProcess.TestPrivateKey).GetPublicAddress().ToLowerInvariant();

    [Fact]
    public async Task Under_load_leader_kills_and_pauses_lose_no_confirmation_sign_no_sequence_twice_and_the_chain_verifies()
    {
        var kills = Setting("FAILOVER_KILLS", 3);
        var stops = Setting("FAILOVER_STOPS", 1);
        var seed = Setting("FAILOVER_SEED", Environment.TickCount & 0xFFFF);
        output.WriteLine($"kills {kills}, stops {stops}, random seed {seed} (FAILOVER_SEED replays the fault moments)");
        var work = Directory.CreateTempSubdirectory("failover-").FullName;
        var inbox = await DeployInboxAsync(work);
        var logs = ReplicaProcessSet.NewLogDirectory("failover");
        output.WriteLine($"each replica's whole log: {logs}/n0.log, n1.log, n2.log");
        var set = await ReplicaProcessSet.StartAsync(fixture.Etcd.ClientUrls, logs, [.. FailoverSettings, .. inbox.Settings]);
        try
        {
            var load = new FailoverLoad(set, Clients, walletSeed: 120_000);
            load.Start();
            try
            {
                await RunAsync(set, load, inbox, work, kills, stops, seed);
            }
            catch
            {
                await load.StopAsync();
                for (var n = 0; n < 3; n++)
                {
                    output.WriteLine($"--- n{n} (pid {set.Node(n).Pid}) last output (the whole log: {set.LogFile(n)}):\n" + set.Node(n).RecentOutput);
                }

                output.WriteLine($"each replica's whole log (kept): {string.Join(", ", Enumerable.Range(0, 3).Select(set.LogFile))}");
                output.WriteLine($"the replicas' data directories (kept): {set.DataRoot}/n0, n1, n2");
                set.KeepData = true;
                throw;
            }

            await load.StopAsync();
        }
        finally
        {
            await set.DisposeAsync(); // to the end of every log file
        }

        Directory.Delete(work, recursive: true);
        if (Environment.GetEnvironmentVariable("FAILOVER_LOG_DIR") is not { Length: > 0 })
        {
            Directory.Delete(logs, recursive: true); // a passing run in the test command leaves nothing behind; the bench keeps its logs
        }
    }

    private async Task RunAsync(ReplicaProcessSet set, FailoverLoad load, InboxSetup inbox, string work, int kills, int stops, int seed)
    {
        var random = new Random(seed);

        var failovers = new List<TimeSpan>();
        var resumed = new List<(int Node, long At)>();
        var probes = new List<RpcResponse>();
        var breakdown = new TakeoverBreakdown();
        foreach (var (fault, index) in Plan(kills, stops).Select((f, i) => (f, i)))
        {
            var leader = await set.LeaderAsync(acknowledged: true);
            var since = load.Clock.ElapsedTicks;
            await Eventually.UntilAsync(() => load.CountFrom(leader, since) >= ConfirmationsBetweenFaults, ReplicaProcessSet.Bound,
                $"{ConfirmationsBetweenFaults} confirmations by leader n{leader} before fault {index} (seed {seed})");
            await Task.Delay(random.Next(0, 300));
            var at = load.Clock.ElapsedTicks;
            var atMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            if (fault == Fault.Kill)
            {
                await set.KillAsync(leader);
            }
            else
            {
                set.Pause(leader);
            }

            // Sent to the paused leader after its pause: it reads them only after it wakes, its lease long gone.
            var sentToPaused = fault == Fault.Stop ? ProbePausedAsync(set.Url(leader), 1000 + index) : null;
            var first = await Eventually.UntilAsync(() => Task.FromResult(load.FirstFromOtherThan(leader, at)), f => f is not null,
                ReplicaProcessSet.Bound, _ => $"a confirmation by a new leader after fault {index} ({fault}) of n{leader} (seed {seed})");
            var took = load.Elapsed(at, first!.At);
            output.WriteLine($"fault {index}: {fault} n{leader} → first confirmation by n{first.Node} after {took.TotalMilliseconds:0} ms");
            if (fault == Fault.Kill)
            {
                output.WriteLine($"fault {index}: " + breakdown.Add(await set.StatusAsync(first.Node), atMs, took));
                failovers.Add(took);
                set.Revive(leader);
            }
            else
            {
                resumed.Add((leader, load.Clock.ElapsedTicks));
                set.Resume(leader);
                probes.AddRange(await sentToPaused!);
            }
        }

        var last = await set.LeaderAsync(acknowledged: true);
        var end = load.Clock.ElapsedTicks;
        await Eventually.UntilAsync(() => load.CountFrom(last, end) >= ConfirmationsBetweenFaults, ReplicaProcessSet.Bound, "confirmations after the last fault");
        await load.StopAsync();
        var seconds = load.Clock.Elapsed.TotalSeconds;

        Assert.Empty(load.Unexpected);
        // The paused leader, resumed, confirmed none of what reached it after its lease ended.
        foreach (var answer in probes.Where(a => a.Error is null))
        {
            Assert.Fail("a leader resumed past its lease confirmed: " + answer.Result.GetRawText());
        }

        Assert.All(set.Exits, exit => Assert.Equal(3, exit.Code));

        var lastBlock = load.All.Max(r => SoftConfirmationVerifier.Quantity(r.Confirmation, "blockNumber"));
        await CloseLastBlockAsync(set, lastBlock);
        var chain = await SameChainOnEveryReplicaAsync(set);
        Assert.True((ulong)chain.BlockHashes.Count >= lastBlock, $"the replicas serve {chain.BlockHashes.Count} blocks in common, confirmations reach block {lastBlock}");
        var received = AssertEveryConfirmationOnTheChain(load.All, chain);
        var lateAfterResume = load.All.Count(r => resumed.Any(s => r.Node == s.Node && r.At > s.At));
        await VerifyAsync(set, inbox, work, received, lastBlock);

        var report = FailoverFigures.Describe(failovers, received.Count, chain.TxHashes.Count, seconds, set, lateAfterResume, probes.Count)
            + "\n" + breakdown.Summary();
        output.WriteLine(report);
        if (Environment.GetEnvironmentVariable("FAILOVER_REPORT") is { Length: > 0 } reportFile)
        {
            await File.WriteAllTextAsync(reportFile, $"kills {kills}, stops {stops}, seed {seed}\n{report}\n");
        }
    }

    /// <summary>Settings of every replica: sub-second leases (the fixture's etcd allows a TTL of 1 s).</summary>
    internal static readonly string[] FailoverSettings =
    [
        "--Sequencer:Replication:LeaseTtlSeconds=1",
        "--Sequencer:Replication:KeepAliveIntervalMs=250",
        "--Sequencer:Replication:EtcdTimeoutMs=500",
    ];

    private enum Fault
    {
        Kill,
        Stop,
    }

    /// <summary>The stops spread evenly among the kills (Bresenham: a stop where the running share of stops steps up).</summary>
    private static List<Fault> Plan(int kills, int stops)
    {
        var total = kills + stops;
        return Enumerable.Range(0, total)
            .Select(i => (((i + 1) * stops) + (total / 2)) / total > ((i * stops) + (total / 2)) / total ? Fault.Stop : Fault.Kill)
            .ToList();
    }

    /// <summary>Four transactions from fresh wallets sent to a paused node; returns their answers once it wakes.</summary>
    private static Task<RpcResponse[]> ProbePausedAsync(Uri url, int seed) =>
        Task.WhenAll(Enumerable.Range(0, 4).Select(async w =>
        {
            var wallet = TestWallet.FromSeed(500_000 + (seed * 10) + w, SequencerProcess.ChainId);
            using var rpc = new RpcTestClient(url, ReplicaProcessSet.Bound);
            return await rpc.CallAsync("sequencer_sendRawTransaction", wallet.Sign1559(0));
        }));

    /// <summary>
    /// A follower closes a block when the leader's next record arrives: a few more transactions, until every replica serves
    /// the last block a client's confirmation is in.
    /// </summary>
    private static async Task CloseLastBlockAsync(ReplicaProcessSet set, ulong lastBlock)
    {
        var wallet = TestWallet.FromSeed(140_000, SequencerProcess.ChainId);
        var leader = await set.LeaderAsync(acknowledged: true);
        using var rpc = new RpcTestClient(set.Url(leader));
        var block = "0x" + lastBlock.ToString("x", CultureInfo.InvariantCulture);
        await Eventually.UntilAsync(async () =>
        {
            await rpc.ResultAsync("sequencer_sendRawTransaction", wallet.Sign1559(wallet.TakeNonce()));
            await Task.Delay(300);
            foreach (var node in Enumerable.Range(0, 3))
            {
                using var replica = new RpcTestClient(set.Url(node));
                if ((await replica.ResultAsync("sequencer_getBlockByNumber", block, false)).ValueKind != JsonValueKind.Object)
                {
                    return false;
                }
            }

            return true;
        }, ReplicaProcessSet.Bound, $"block {lastBlock} served by every replica");
    }

    /// <summary>Reads each replica's whole chain and checks that what all three serve is one chain, one confirmation per sequence.</summary>
    private static async Task<ChainAudit.Chain> SameChainOnEveryReplicaAsync(ReplicaProcessSet set)
    {
        var chains = await Task.WhenAll(Enumerable.Range(0, 3).Select(n => ChainAudit.ReadAsync(set.Url(n), SequencerAddress, SequencerProcess.ChainId)));
        var common = chains.Min(c => c.TxHashes.Count);
        var blocks = chains.Min(c => c.BlockHashes.Count);
        for (var n = 1; n < 3; n++)
        {
            Assert.Equal(chains[0].TxHashes.Take(common), chains[n].TxHashes.Take(common));
            Assert.Equal(chains[0].BlockHashes.Take(blocks), chains[n].BlockHashes.Take(blocks));
            for (var i = 0; i < common; i++)
            {
                // Every confirmation every replica serves: one per sequence, the same on all three.
                Assert.Equal(chains[0].Confirmations[i].GetRawText(), chains[n].Confirmations[i].GetRawText());
            }
        }

        return chains.MinBy(c => c.TxHashes.Count)!;
    }

    /// <summary>Every confirmation a client received is the one every replica serves at its sequence; returns them by hash.</summary>
    private static Dictionary<string, JsonElement> AssertEveryConfirmationOnTheChain(IEnumerable<Received> all, ChainAudit.Chain chain)
    {
        var byHash = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var received in all)
        {
            var sequence = received.Sequence;
            Assert.True(sequence < (ulong)chain.TxHashes.Count, $"confirmation {received.TxHash} at sequence {sequence} is past every replica's head");
            Assert.Equal(chain.Confirmations[(int)sequence].GetRawText(), received.Confirmation.GetRawText());
            byHash[received.TxHash] = received.Confirmation;
        }

        return byHash;
    }

    /// <summary>Waits until the leader's batcher posted every block, then runs `verify` over L1, the DA store and every confirmation.</summary>
    private async Task VerifyAsync(ReplicaProcessSet set, InboxSetup inbox, string work, Dictionary<string, JsonElement> received, ulong lastBlock)
    {
        var leader = await set.LeaderAsync();
        await PublishedChainFixture.WaitUntilPublishedAsync(fixture.Anvil.RpcUrl, inbox.Address, set.Node(leader), lastBlock, ReplicaProcessSet.Bound);
        var file = Path.Combine(work, "confirmations.json");
        await PublishedChainFixture.WriteConfirmationsAsync(file, received.Values.Select(c => JsonNode.Parse(c.GetRawText())!));
        var (exit, text) = await VerifyTool.RunAsync(
            "--l1-rpc", fixture.Anvil.RpcUrl, "--inbox", inbox.Address, "--da", inbox.DaDirectory,
            "--chain-id", SequencerProcess.ChainId.ToString(CultureInfo.InvariantCulture), "--sequencer", SequencerAddress, "--confirmations", file);
        output.WriteLine(text);
        Assert.True(exit == 0, $"verify exited with {exit}:\n{text}");
    }

    private sealed record InboxSetup(string Address, string DaDirectory, string[] Settings);

    /// <summary>A fresh inbox on the fixture's anvil, and the batcher settings of every replica: one DA store for the set.</summary>
    private async Task<InboxSetup> DeployInboxAsync(string work)
    {
        const string batcherKey = AnvilNode.DevKey1;
        var batcherAddress = new Nethereum.Signer.EthECKey(batcherKey).GetPublicAddress();
        var address = await InboxDeployer.DeployAsync(fixture.Anvil.RpcUrl, AnvilNode.DevKey0, new InboxSettings(batcherAddress, SequencerAddress, SequencerProcess.ChainId));
        var keyFile = Path.Combine(work, "batcher-l1.key");
        await File.WriteAllTextAsync(keyFile, batcherKey);
        var da = Path.Combine(work, "da");
        string[] settings = [.. PublishedChainFixture.BatcherSettings(fixture.Anvil.RpcUrl, address, keyFile), $"--Sequencer:Da:Local:Directory={da}"];
        return new InboxSetup(address, da, settings);
    }

    private static int Setting(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : fallback;
}
