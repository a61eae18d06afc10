using System.Numerics;
using Batcher.L1;
using Nethereum.Contracts;
using Nethereum.Hex.HexConvertors.Extensions;
using Nethereum.RPC.Eth.DTOs;
using Nethereum.Web3;
using Nethereum.Web3.Accounts;
using TestInfrastructure.Anvil;
using TestInfrastructure.Sequencer;

namespace Acceptance.Batching;

/// <summary>
/// A real anvil as L1 with a fresh BatchInbox (forced-inclusion window 25 L1 blocks, the default), and the built
/// sequencer as a child process that posts to it and follows its forced queue. The tests of one class share it and
/// run one after another; each uses wallets of its own.
/// </summary>
public sealed class ForcedInclusionFixture : IAsyncLifetime
{
    /// <summary>Third key of anvil's public test mnemonic: an L1 user who queues forced transactions.</summary>
    public const string L1UserKey = "0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a";

    public const ulong Window = 25;

    private AnvilNode? _anvil;
    private SequencerProcess? _sequencer;

    public AnvilNode Anvil => _anvil ?? throw new InvalidOperationException("not started");

    public SequencerProcess Sequencer => _sequencer ?? throw new InvalidOperationException("not started");

    public string Inbox { get; private set; } = "";

    public string WorkDirectory { get; } = Directory.CreateTempSubdirectory("forced-inclusion-").FullName;

    public string DaDirectory => Path.Combine(Sequencer.DataDirectory, "da");

    public string JournalFile => Path.Combine(Sequencer.DataDirectory, "forced-inclusion.jsonl");

    public async Task InitializeAsync()
    {
        _anvil = await AnvilNode.StartAsync();
        var batcherAddress = new Nethereum.Signer.EthECKey(PublishedChainFixture.BatcherKey).GetPublicAddress();
        var sequencerAddress = new Nethereum.Signer.EthECKey(SequencerProcess.TestPrivateKey).GetPublicAddress();
        Inbox = await InboxDeployer.DeployAsync(Anvil.RpcUrl, AnvilNode.DevKey0, new InboxSettings(batcherAddress, sequencerAddress, SequencerProcess.ChainId));
        var keyFile = Path.Combine(WorkDirectory, "batcher-l1.key");
        await File.WriteAllTextAsync(keyFile, PublishedChainFixture.BatcherKey);
        _sequencer = await SequencerProcess.StartAsync(PublishedChainFixture.BatcherSettings(Anvil.RpcUrl, Inbox, keyFile));
    }

    /// <summary>Queues <paramref name="rawTx"/> on L1 with forceInclude; returns the L1 block it was queued in and its queue index.</summary>
    public async Task<(ulong L1Block, ulong QueueIndex)> ForceIncludeAsync(string rawTx)
    {
        var web3 = new Web3(new Account(L1UserKey, Anvil.ChainId), Anvil.RpcUrl);
        var receipt = await web3.Eth.GetContractTransactionHandler<ForceIncludeFunction>()
            .SendRequestAndWaitForReceiptAsync(Inbox, new ForceIncludeFunction { RawTx = rawTx.HexToByteArray() });
        Assert.True(receipt.Status.Value == 1, $"forceInclude reverted in {receipt.TransactionHash}");
        var queued = Assert.Single(receipt.DecodeAllEvents<ForcedTransactionQueuedEvent>());
        return ((ulong)receipt.BlockNumber.Value, queued.Event.QueueIndex);
    }

    /// <summary>Mines <paramref name="blocks"/> empty L1 blocks at once.</summary>
    public async Task MineAsync(int blocks)
    {
        using var client = new TestInfrastructure.Ethereum.RpcTestClient(new Uri(Anvil.RpcUrl));
        await client.ResultAsync("anvil_mine", "0x" + blocks.ToString("x", System.Globalization.CultureInfo.InvariantCulture));
    }

    public async Task<ulong> NextForcedIndexAsync() =>
        await new Web3(Anvil.RpcUrl).Eth.GetContractQueryHandler<NextForcedIndexFunction>().QueryAsync<ulong>(Inbox, new NextForcedIndexFunction());

    /// <summary>Every BatchAppended event with the L1 block it was emitted in.</summary>
    public async Task<List<(BatchAppendedEvent Event, ulong L1Block)>> ReadBatchesAsync()
    {
        var handler = new Web3(Anvil.RpcUrl).Eth.GetEvent<BatchAppendedEvent>(Inbox);
        var logs = await handler.GetAllChangesAsync(handler.CreateFilterInput(BlockParameter.CreateEarliest(), BlockParameter.CreateLatest()));
        return logs.Select(l => (l.Event, (ulong)l.Log.BlockNumber.Value)).ToList();
    }

    public string[] VerifyArguments() =>
    [
        "--l1-rpc", Anvil.RpcUrl, "--inbox", Inbox, "--da", DaDirectory,
        "--chain-id", SequencerProcess.ChainId.ToString(System.Globalization.CultureInfo.InvariantCulture),
        "--sequencer-rpc", Sequencer.RpcUrl.ToString(),
    ];

    public static BigInteger Gwei(int n) => new BigInteger(n) * 1_000_000_000;

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
}
