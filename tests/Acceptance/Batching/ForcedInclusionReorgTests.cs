using System.Text.Json;
using Batcher.L1;
using Nethereum.Hex.HexConvertors.Extensions;
using Nethereum.Util;
using TestInfrastructure;
using TestInfrastructure.Anvil;
using TestInfrastructure.Ethereum;
using TestInfrastructure.Sequencer;

namespace Acceptance.Batching;

/// <summary>
/// L1 reorgs and the forced queue (docs/l1.md, "The sequencer's side"): the sequencer reads the queue only at the
/// poster's confirmation depth (3 here), so an entry that a reorg removes before it is that deep is never sequenced,
/// and the entry that takes its queue index after the reorg is.
/// </summary>
public sealed class ForcedInclusionReorgTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private readonly string _work = Directory.CreateTempSubdirectory("forced-reorg-").FullName;
    private AnvilNode? _anvil;
    private SequencerProcess? _sequencer;
    private string _inbox = "";

    public async Task InitializeAsync()
    {
        _anvil = await AnvilNode.StartAsync();
        var batcher = new Nethereum.Signer.EthECKey(PublishedChainFixture.BatcherKey).GetPublicAddress();
        var sequencer = new Nethereum.Signer.EthECKey(SequencerProcess.TestPrivateKey).GetPublicAddress();
        _inbox = await InboxDeployer.DeployAsync(_anvil.RpcUrl, AnvilNode.DevKey0, new InboxSettings(batcher, sequencer, SequencerProcess.ChainId));
        var keyFile = Path.Combine(_work, "batcher-l1.key");
        await File.WriteAllTextAsync(keyFile, PublishedChainFixture.BatcherKey);
        _sequencer = await SequencerProcess.StartAsync([.. PublishedChainFixture.BatcherSettings(_anvil.RpcUrl, _inbox, keyFile), "--Batcher:L1:Confirmations=3"]);
    }

    [Fact]
    public async Task An_entry_reorged_away_before_the_confirmation_depth_is_never_sequenced_and_its_replacement_is()
    {
        using var l1 = new RpcTestClient(new Uri(_anvil!.RpcUrl));
        using var rpc = new RpcTestClient(_sequencer!.RpcUrl);
        var user = TestWallet.FromSeed(95_000, SequencerProcess.ChainId);
        var dropped = user.Sign1559(0, to: "0x000000000000000000000000000000000000bEEF");
        var replacement = user.Sign1559(0);

        var snapshot = (await l1.ResultAsync("evm_snapshot")).GetString();
        Assert.Equal(0UL, await ForceIncludeAsync(dropped));
        Assert.True((await l1.ResultAsync("evm_revert", snapshot)).GetBoolean());
        Assert.Equal(0UL, await ForceIncludeAsync(replacement));
        await l1.ResultAsync("anvil_mine", "0x3");

        var confirmation = await Eventually.UntilAsync(async () => await rpc.ResultAsync("sequencer_getSoftConfirmation", Hash(replacement)),
            c => c.ValueKind == JsonValueKind.Object, Timeout, _ => $"the replacement entry is sequenced\n{_sequencer.RecentOutput}");
        Assert.Equal(JsonValueKind.Null, (await rpc.ResultAsync("sequencer_getSoftConfirmation", Hash(dropped))).ValueKind);
        // The decision is journaled right after the transaction is confirmed.
        var file = Path.Combine(_sequencer.DataDirectory, "forced-inclusion.jsonl");
        var journal = await Eventually.UntilAsync(async () => File.Exists(file) ? await File.ReadAllLinesAsync(file) : [],
            lines => lines.Length > 0, Timeout, lines => $"{lines.Length} journal lines");
        var entry = JsonDocument.Parse(Assert.Single(journal)).RootElement;
        Assert.Equal(Hash(replacement), entry.GetProperty("txHash").GetString(), ignoreCase: true);
        Assert.Equal(SoftConfirmationVerifier.Quantity(confirmation, "sequence"), entry.GetProperty("sequence").GetUInt64());
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
            Directory.Delete(_work, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private async Task<ulong> ForceIncludeAsync(string raw)
    {
        var web3 = new Nethereum.Web3.Web3(new Nethereum.Web3.Accounts.Account(ForcedInclusionFixture.L1UserKey, _anvil!.ChainId), _anvil.RpcUrl);
        var receipt = await web3.Eth.GetContractTransactionHandler<ForceIncludeFunction>()
            .SendRequestAndWaitForReceiptAsync(_inbox, new ForceIncludeFunction { RawTx = raw.HexToByteArray() });
        return Nethereum.Contracts.EventExtensions.DecodeAllEvents<ForcedTransactionQueuedEvent>(receipt).Single().Event.QueueIndex;
    }

    private static string Hash(string raw) => "0x" + Sha3Keccack.Current.CalculateHash(raw.HexToByteArray()).ToHex();
}
