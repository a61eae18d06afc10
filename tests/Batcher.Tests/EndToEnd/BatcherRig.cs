using Batcher.Options;
using System.Text.Json;
using Batcher.Hosting;
using Batcher.L1;
using Batcher.Pipeline;
using Batcher.Tests.Chain;
using Batcher.Verification;
using DaClient.Local;
using Microsoft.Extensions.Logging.Abstractions;
using Nethereum.Hex.HexConvertors.Extensions;
using Nethereum.RPC.Eth.DTOs;
using Nethereum.Web3;
using TestInfrastructure.Anvil;
using TestInfrastructure;

namespace Batcher.Tests.EndToEnd;

/// <summary>
/// One batcher against a real anvil: a fresh inbox, a data directory with the local DA store,
/// a test chain as block source. The pipeline can be started, stopped and started again on the
/// same directory, as a restarted process would.
/// </summary>
public sealed class BatcherRig : IAsyncDisposable
{
    public static readonly string BatcherKey = AnvilNode.DevKey1;

    private readonly DirectoryInfo _directory;
    private CancellationTokenSource? _stop;
    private Task? _run;

    private BatcherRig(AnvilNode anvil, string inbox, DirectoryInfo directory, BatcherOptions options)
    {
        Anvil = anvil;
        Inbox = inbox;
        _directory = directory;
        Options = options;
        Da = new SwitchableDa(new LocalDaStore(DaDirectory, fsync: false));
        Web3 = new Web3(anvil.RpcUrl);
    }

    public AnvilNode Anvil { get; }

    public string Inbox { get; }

    public BatcherOptions Options { get; }

    public TestChain Chain { get; } = new();

    public SwitchableDa Da { get; }

    public Web3 Web3 { get; }

    public BatcherStatus Status { get; private set; } = new();

    /// <summary>The batcher's clock: a test advances it instead of sleeping.</summary>
    public AdvanceableClock Clock { get; } = new();

    public BatcherPipeline? Pipeline { get; private set; }

    public string DataDirectory => _directory.FullName;

    public string DaDirectory => Path.Combine(_directory.FullName, "da");

    public static async Task<BatcherRig> StartAsync(AnvilNode anvil, int confirmations = 1)
    {
        var batcherAddress = new Nethereum.Signer.EthECKey(BatcherKey).GetPublicAddress();
        var inbox = await InboxDeployer.DeployAsync(anvil.RpcUrl, AnvilNode.DevKey0, Settings(batcherAddress));
        var directory = Directory.CreateTempSubdirectory("batcher-e2e-");
        var options = new BatcherOptions
        {
            ChainId = TestChain.ChainId,
            MaxBatchBytes = 4096,
            MaxBatchAgeMs = 150,
            DaFailoverAfterMs = 300,
            DaRetryDelayMs = 50,
            DaRecoveryProbeMs = 200,
            L1 = new L1PostingOptions
            {
                Enabled = true,
                RpcUrl = anvil.RpcUrl,
                InboxAddress = inbox,
                PrivateKey = BatcherKey,
                Confirmations = confirmations,
                PollIntervalMs = 50,
                StuckAfterMs = 60_000,
                MaxPendingPosts = 4,
            },
        };
        return new BatcherRig(anvil, inbox, directory, options);
    }

    /// <summary>Starts the pipeline (again) on the same data directory; <paramref name="beforeBroadcast"/> can stop it mid-post.</summary>
    public void Start(Func<PostRecord, Task>? beforeBroadcast = null)
    {
        Status = new BatcherStatus();
        Pipeline = new BatcherPipeline(Options, DataDirectory, Chain, Da, Status, new BatcherMetrics(Status), Clock, NullLogger.Instance)
        {
            BeforeBroadcast = beforeBroadcast,
        };
        _stop = new CancellationTokenSource();
        _run = Pipeline.RunAsync(_stop.Token);
    }

    /// <summary>The run task, to observe a pipeline that stopped by itself.</summary>
    public Task Run => _run ?? Task.CompletedTask;

    public async Task StopAsync()
    {
        if (_stop is null || _run is null)
        {
            return;
        }

        await _stop.CancelAsync();
        try
        {
            await _run;
        }
        catch (Exception)
        {
            // A pipeline stopped by a simulated crash already ended with its exception.
        }

        Pipeline!.Dispose();
        _stop.Dispose();
        _stop = null;
        _run = null;
    }

    /// <summary>Waits until every sealed block is in a batch confirmed on L1.</summary>
    public Task WaitUntilAllConfirmedAsync(TimeSpan? timeout = null) =>
        Eventually.UntilAsync(
            () => Task.FromResult((Status.NextBlock > Chain.LatestSealedNumber && Status.PostsInFlight == 0 && Status.RepostsPending == 0
                && Status.LastBatchConfirmed >= 0 && Status.State == "running") || ThrowIfStopped()),
            done => done,
            timeout ?? TimeSpan.FromSeconds(30),
            _ => $"batcher did not confirm every block in time: {Status.Snapshot()}, sealed {Chain.LatestSealedNumber}");

    /// <summary>For waits: false while the batcher runs; throws once it has stopped with a fault.</summary>
    public bool ThrowIfStopped() => Run.IsFaulted
        ? throw new InvalidOperationException("batcher stopped: " + Run.Exception!.GetBaseException().Message)
        : false;

    public async Task<(VerificationReport Report, string Output)> VerifyAsync(IReadOnlyList<SoftConfirmation>? confirmations = null)
    {
        var output = new StringWriter();
        var request = new VerifyRequest(Anvil.RpcUrl, Inbox, new DaClient.MultiBackendDaReader([new LocalDaStore(DaDirectory, fsync: false)]))
        {
            Confirmations = confirmations ?? Chain.Confirmed.Select(ToSoftConfirmation).ToList(),
            ChainId = TestChain.ChainId,
        };
        var report = await new ChainVerifier(output).VerifyAsync(request, CancellationToken.None);
        return (report, output.ToString());
    }

    /// <summary>Runs the verify command as a user would (arguments, exit code, text), with a confirmations file.</summary>
    public async Task<(int ExitCode, string Output)> RunVerifyCommandAsync(IEnumerable<SoftConfirmation> confirmations, params string[] extraArguments)
    {
        var file = Path.Combine(DataDirectory, "confirmations.json");
        await File.WriteAllTextAsync(file, JsonSerializer.Serialize(confirmations.Select(c => new
        {
            txHash = c.TxHash,
            sequence = "0x" + c.Sequence.ToString("x"),
            blockNumber = "0x" + c.BlockNumber.ToString("x"),
            index = "0x" + c.Index.ToString("x"),
            timestamp = "0x" + c.Timestamp.ToString("x"),
            accumulator = c.Accumulator,
            signature = c.Signature,
        })));
        var output = new StringWriter();
        var code = await VerifyCommand.RunAsync(
            ["--l1-rpc", Anvil.RpcUrl, "--inbox", Inbox, "--da", DaDirectory, "--confirmations", file, "--chain-id", TestChain.ChainId.ToString(), .. extraArguments], output, output);
        return (code, output.ToString());
    }

    public async Task<List<BatchAppendedEvent>> EventsAsync()
    {
        var handler = Web3.Eth.GetEvent<BatchAppendedEvent>(Inbox);
        var logs = await handler.GetAllChangesAsync(handler.CreateFilterInput(BlockParameter.CreateEarliest(), BlockParameter.CreateLatest()));
        return logs.Select(l => l.Event).ToList();
    }

    /// <summary>Deploys the inbox again, as its first deployment did (same deployer, so on a fresh chain the same address).</summary>
    public async Task<string> RedeployInboxAsync() =>
        await InboxDeployer.DeployAsync(Anvil.RpcUrl, AnvilNode.DevKey0, Settings(new Nethereum.Signer.EthECKey(BatcherKey).GetPublicAddress()));

    // The rig's chain is made up of blocks no sequencer signed; the batcher's own address stands in as the signer.
    // Its blocks carry timestamps of 2025, so a confirmation left unpublished is past any publish delay at once.
    private static InboxSettings Settings(string batcherAddress) => new(batcherAddress, batcherAddress, TestChain.ChainId, MaxPublishDelaySeconds: 60);

    public async Task<ulong> BatcherNonceAsync()
    {
        var address = new Nethereum.Signer.EthECKey(BatcherKey).GetPublicAddress();
        return (ulong)(await Web3.Eth.Transactions.GetTransactionCount.SendRequestAsync(address, BlockParameter.CreateLatest())).Value;
    }

    public async Task MineAsync(int blocks = 1)
    {
        for (var i = 0; i < blocks; i++)
        {
            await Web3.Client.SendRequestAsync<string>("evm_mine");
        }
    }

    /// <summary>Mines a block every 50 ms until disposed, so that posts gather confirmations.</summary>
    public IAsyncDisposable KeepMining() => new Miner(this);

    public async Task<string> SnapshotAsync() => await Web3.Client.SendRequestAsync<string>("evm_snapshot");

    public async Task RevertAsync(string snapshot)
    {
        var reverted = await Web3.Client.SendRequestAsync<bool>("evm_revert", null, snapshot);
        Assert.True(reverted, "anvil refused evm_revert");
    }

    public async Task<ulong> InboxNextBatchIndexAsync() =>
        await Web3.Eth.GetContractQueryHandler<NextBatchIndexFunction>().QueryAsync<ulong>(Inbox, new NextBatchIndexFunction());

    public static SoftConfirmation ToSoftConfirmation(ConfirmedTransaction tx) =>
        new(tx.TxHash.ToHex(true), tx.Sequence, tx.BlockNumber, tx.Index, tx.Timestamp, tx.Accumulator.ToHex(true), null, null);

    private sealed class Miner : IAsyncDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _mining;

        public Miner(BatcherRig rig) => _mining = Task.Run(async () =>
        {
            while (!_stop.IsCancellationRequested)
            {
                await rig.MineAsync();
                await Task.Delay(50);
            }
        });

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            await _mining;
            _stop.Dispose();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        try
        {
            _directory.Delete(true);
        }
        catch (IOException)
        {
        }
    }
}
