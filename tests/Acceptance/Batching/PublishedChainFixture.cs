using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Batcher.L1;
using Nethereum.RPC.Eth.DTOs;
using Nethereum.Web3;
using TestInfrastructure.Anvil;
using TestInfrastructure.Ethereum;
using TestInfrastructure.Sequencer;
using TestInfrastructure;

namespace Acceptance.Batching;

/// <summary>
/// A real anvil as L1 with a fresh BatchInbox, and the built sequencer as a child process whose batcher
/// writes batches to the local DA store in its data directory and appends them to the inbox. Transactions
/// from several wallets are confirmed, then the fixture waits until the batcher reports every block that
/// holds one in a batch confirmed on L1. Tests only read what was published (they tamper with copies),
/// so they share one run.
/// </summary>
public sealed class PublishedChainFixture : IAsyncLifetime
{
    /// <summary>The poster's L1 key: a public anvil development key, written to a key file like a real one.</summary>
    public const string BatcherKey = AnvilNode.DevKey1;

    private const int Wallets = 5;
    private const int Rounds = 4;
    private const int TransactionsPerWalletPerRound = 5;
    private static readonly TimeSpan PublishTimeout = TimeSpan.FromSeconds(30);

    private AnvilNode? _anvil;
    private SequencerProcess? _sequencer;

    public AnvilNode Anvil => _anvil ?? throw new InvalidOperationException("not started");

    public SequencerProcess Sequencer => _sequencer ?? throw new InvalidOperationException("not started");

    public string Inbox { get; private set; } = "";

    /// <summary>Scratch space for key, confirmation files and DA copies; deleted with the fixture.</summary>
    public string WorkDirectory { get; } = Directory.CreateTempSubdirectory("published-chain-").FullName;

    /// <summary>The sequencer's local DA store ("Sequencer:Da:Local:Directory" is "da" inside its data directory).</summary>
    public string DaDirectory => Path.Combine(Sequencer.DataDirectory, "da");

    public string SequencerAddress { get; } = new Nethereum.Signer.EthECKey(SequencerProcess.TestPrivateKey).GetPublicAddress().ToLowerInvariant();

    /// <summary>What the clients received from sequencer_sendRawTransaction, in sequence order.</summary>
    public IReadOnlyList<JsonElement> Confirmations { get; private set; } = [];

    /// <summary>BatchAppended events on anvil once every confirmed block was published.</summary>
    public IReadOnlyList<BatchAppendedEvent> Events { get; private set; } = [];

    /// <summary>sequencer_getStatus → batcher at that moment.</summary>
    public JsonElement BatcherStatus { get; private set; }

    /// <summary>Highest L2 block that holds a confirmed transaction.</summary>
    public ulong LastBlock { get; private set; }

    /// <summary>The honest confirmations as the file verify reads (a JSON array of RPC confirmation objects).</summary>
    public string ConfirmationsFile => Path.Combine(WorkDirectory, "confirmations.json");

    public async Task InitializeAsync()
    {
        _anvil = await AnvilNode.StartAsync();
        var batcherAddress = new Nethereum.Signer.EthECKey(BatcherKey).GetPublicAddress();
        Inbox = await InboxDeployer.DeployAsync(Anvil.RpcUrl, AnvilNode.DevKey0, new InboxSettings(batcherAddress, SequencerAddress, SequencerProcess.ChainId));
        var keyFile = Path.Combine(WorkDirectory, "batcher-l1.key");
        await File.WriteAllTextAsync(keyFile, BatcherKey);

        _sequencer = await SequencerProcess.StartAsync(BatcherSettings(Anvil.RpcUrl, Inbox, keyFile));

        Confirmations = await SendTransactionsAsync(Sequencer.RpcUrl);
        LastBlock = Confirmations.Max(c => SoftConfirmationVerifier.Quantity(c, "blockNumber"));
        await WriteConfirmationsAsync(ConfirmationsFile, Confirmations.Select(c => JsonNode.Parse(c.GetRawText())!));
        (Events, BatcherStatus) = await WaitUntilPublishedAsync(Anvil.RpcUrl, Inbox, Sequencer, LastBlock);
    }

    /// <summary>The sequencer's settings for a batcher that posts to <paramref name="inbox"/> on anvil, in small batches.</summary>
    public static string[] BatcherSettings(string l1RpcUrl, string inbox, string keyFile) =>
    [
        "--Logging:LogLevel:Default=Warning",
        "--Logging:LogLevel:Batcher=Information",
        "--Batcher:L1:Enabled=true",
        $"--Batcher:L1:RpcUrl={l1RpcUrl}",
        $"--Batcher:L1:InboxAddress={inbox}",
        $"--Batcher:L1:KeyFile={keyFile}",
        // anvil mines each post at once: one confirmation is final here.
        "--Batcher:L1:Confirmations=1",
        "--Batcher:L1:PollIntervalMs=100",
        // Small batches, so the run publishes several and a test can tamper with one in the middle.
        "--Batcher:MaxBatchBytes=4096",
        "--Batcher:MaxBatchAgeMs=300",
    ];

    /// <summary>verify's arguments for this L1, inbox and a DA directory; signatures are checked against the sequencer's address.</summary>
    public string[] VerifyArguments(string daDirectory, bool checkSignatures = true)
    {
        string[] common = ["--l1-rpc", Anvil.RpcUrl, "--inbox", Inbox, "--da", daDirectory, "--chain-id", SequencerProcess.ChainId.ToString(CultureInfo.InvariantCulture)];
        return checkSignatures ? [.. common, "--sequencer", SequencerAddress] : common;
    }

    public static async Task WriteConfirmationsAsync(string path, IEnumerable<JsonNode> confirmations) =>
        await File.WriteAllTextAsync(path, new JsonArray([.. confirmations]).ToJsonString());

    public Task<List<BatchAppendedEvent>> ReadEventsAsync() => ReadEventsAsync(Anvil.RpcUrl, Inbox);

    public static async Task<List<BatchAppendedEvent>> ReadEventsAsync(string l1RpcUrl, string inbox)
    {
        var handler = new Web3(l1RpcUrl).Eth.GetEvent<BatchAppendedEvent>(inbox);
        var logs = await handler.GetAllChangesAsync(handler.CreateFilterInput(BlockParameter.CreateEarliest(), BlockParameter.CreateLatest()));
        return logs.Select(l => l.Event).ToList();
    }

    public async Task DisposeAsync()
    {
        if (_sequencer is not null)
        {
            await _sequencer.DisposeAsync();
        }

        if (_anvil is not null)
        {
            await _anvil.DisposeAsync();
        }

        try
        {
            Directory.Delete(WorkDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>
    /// Several wallets send at once, each its nonces in order; every send must be confirmed. The sends
    /// come in rounds, each after the previous round's last block is sealed, so the transactions span
    /// several blocks (and so several batches at the 4 KiB bound) however fast the machine is.
    /// </summary>
    public static async Task<IReadOnlyList<JsonElement>> SendTransactionsAsync(Uri url, int walletSeed = 70_000)
    {
        using var rpc = new RpcTestClient(url);
        var wallets = Enumerable.Range(0, Wallets).Select(w => TestWallet.FromSeed(walletSeed + w, SequencerProcess.ChainId)).ToArray();
        var received = new List<JsonElement>();
        for (var round = 0; round < Rounds; round++)
        {
            var perWallet = await Task.WhenAll(wallets.Select(wallet => Task.Run(async () =>
            {
                using var client = new RpcTestClient(url);
                var confirmations = new List<JsonElement>();
                for (var i = 0; i < TransactionsPerWalletPerRound; i++)
                {
                    confirmations.Add((await client.ResultAsync("sequencer_sendRawTransaction", wallet.Sign1559(wallet.TakeNonce()))).Clone());
                }

                return confirmations;
            })));
            var roundConfirmations = perWallet.SelectMany(c => c).ToList();
            received.AddRange(roundConfirmations);
            await WaitForBlockAsync(rpc, roundConfirmations.Max(c => SoftConfirmationVerifier.Quantity(c, "blockNumber")));
        }

        return received.OrderBy(c => SoftConfirmationVerifier.Quantity(c, "sequence")).ToList();
    }

    private static Task WaitForBlockAsync(RpcTestClient rpc, ulong number) => Eventually.UntilAsync(
        async () => (await rpc.ResultAsync("eth_getBlockByNumber", "0x" + number.ToString("x", CultureInfo.InvariantCulture), false)).ValueKind == JsonValueKind.Object,
        TimeSpan.FromSeconds(10), $"block {number} sealed");

    /// <summary>
    /// Waits until the inbox on anvil has a batch reaching <paramref name="lastBlock"/> and the sequencer's
    /// status says that batch is confirmed with nothing left in flight or waiting to be posted again.
    /// </summary>
    public static async Task<(List<BatchAppendedEvent> Events, JsonElement Status)> WaitUntilPublishedAsync(
        string l1RpcUrl, string inbox, SequencerProcess sequencer, ulong lastBlock, TimeSpan? timeout = null)
    {
        using var rpc = new RpcTestClient(sequencer.RpcUrl);
        return await Eventually.UntilAsync(
            async () => (Events: await ReadEventsAsync(l1RpcUrl, inbox), Status: (await rpc.ResultAsync("sequencer_getStatus")).GetProperty("batcher").Clone()),
            seen => seen.Events.Count > 0 && seen.Events.Max(e => e.LastBlock) >= lastBlock
                && seen.Status.GetProperty("lastBatchConfirmed").GetInt64() >= (long)seen.Events.Max(e => e.BatchIndex)
                && seen.Status.GetProperty("postsInFlight").GetInt64() == 0
                && seen.Status.GetProperty("repostsPending").GetInt64() == 0,
            timeout ?? PublishTimeout,
            seen => $"blocks up to {lastBlock} published: {seen.Events.Count} batches on L1, batcher status {seen.Status.GetRawText()}\n{sequencer.RecentOutput}");
    }
}
