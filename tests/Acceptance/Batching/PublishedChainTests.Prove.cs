using System.Globalization;
using System.Numerics;
using System.Text.Json.Nodes;
using Batcher.L1;
using Nethereum.Contracts;
using Nethereum.Hex.HexTypes;
using Nethereum.Web3;
using Nethereum.Web3.Accounts;
using TestInfrastructure.Anvil;
using TestInfrastructure.Ethereum;
using TestInfrastructure.Sequencer;

namespace Acceptance.Batching;

/// <summary>
/// verify --prove with the real sequencer's confirmations (docs/l1.md, "Proofs"). The proofs go to a
/// second inbox that holds a copy of the fixture's batches (bonded, same sequencer key), so slashing it
/// leaves the fixture's own inbox and batcher untouched for the other tests.
/// </summary>
public sealed partial class PublishedChainTests
{
    private static readonly BigInteger Bond = BigInteger.Pow(10, 18);

    [Fact]
    public async Task Verify_prove_slashes_the_bond_for_a_conflicting_signature_and_leaves_it_for_honest_confirmations()
    {
        var inbox = await CopyInboxAsync(chain.Events.Count, maxPublishDelay: 3600);
        var keyFile = await ProverKeyFileAsync();

        var (honestExit, honestText) = await VerifyTool.RunAsync([.. ArgumentsFor(inbox), "--confirmations", chain.ConfirmationsFile, "--prove", keyFile]);
        output.WriteLine(honestText);
        Assert.True(honestExit == 0, honestText);
        Assert.DoesNotContain("PROVED", honestText);
        Assert.Equal(Bond, await BondAsync(inbox));

        // A test-only signer holding the sequencer's key promises sequence N to another transaction.
        var sequence = chain.Confirmations.Count / 2;
        var conflicting = JsonNode.Parse(chain.Confirmations[sequence].GetRawText())!.AsObject();
        conflicting["txHash"] = "0x" + new string('7', 64);
        conflicting["signature"] = SignAsSequencer(conflicting);
        var file = await WriteWithAsync(sequence, conflicting, "conflicting-for-prove.json");

        var (exit, text) = await VerifyTool.RunAsync([.. ArgumentsFor(inbox), "--confirmations", file, "--prove", keyFile]);
        output.WriteLine(text);

        Assert.True(exit == 1, text);
        Assert.Contains($"PROVED: proveEquivocation for sequence {sequence}", text);
        Assert.Equal(BigInteger.Zero, await BondAsync(inbox));
    }

    [Fact]
    public async Task Verify_prove_slashes_the_bond_when_a_batch_is_withheld_past_the_publish_delay()
    {
        // The copy holds only the first batch: every later confirmation is a batch withheld.
        var inbox = await CopyInboxAsync(1, maxPublishDelay: 2);
        var keyFile = await ProverKeyFileAsync();
        var firstUnpublished = chain.Events[0].FirstSequence + chain.Events[0].TxCount;
        var latest = chain.Confirmations.Max(c => SoftConfirmationVerifier.Quantity(c, "timestamp"));
        await AdvanceL1PastAsync(latest + 2);

        var (exit, text) = await VerifyTool.RunAsync([.. ArgumentsFor(inbox), "--confirmations", chain.ConfirmationsFile, "--prove", keyFile]);
        output.WriteLine(text);

        Assert.True(exit == 1, text);
        Assert.Contains($"PROVED: proveNotPublished for sequence {firstUnpublished}", text);
        Assert.Equal(BigInteger.Zero, await BondAsync(inbox));
    }

    /// <summary>A new bonded inbox for the same sequencer holding the fixture's first <paramref name="batches"/> batches.</summary>
    private async Task<string> CopyInboxAsync(int batches, ulong maxPublishDelay)
    {
        var batcher = new Nethereum.Signer.EthECKey(PublishedChainFixture.BatcherKey).GetPublicAddress();
        var inbox = await InboxDeployer.DeployAsync(chain.Anvil.RpcUrl, AnvilNode.DevKey0,
            new InboxSettings(batcher, chain.SequencerAddress, SequencerProcess.ChainId, MaxPublishDelaySeconds: maxPublishDelay));
        var owner = new Web3(new Account(AnvilNode.DevKey0, chain.Anvil.ChainId), chain.Anvil.RpcUrl);
        await owner.Eth.GetContractTransactionHandler<PostBondFunction>().SendRequestAndWaitForReceiptAsync(inbox, new PostBondFunction { AmountToSend = Bond });
        var poster = new Web3(new Account(PublishedChainFixture.BatcherKey, chain.Anvil.ChainId), chain.Anvil.RpcUrl).Eth.GetContractTransactionHandler<AppendBatchFunction>();
        foreach (var e in chain.Events.Take(batches))
        {
            var receipt = await poster.SendRequestAndWaitForReceiptAsync(inbox, new AppendBatchFunction
            {
                BatchIndex = e.BatchIndex, FirstBlock = e.FirstBlock, LastBlock = e.LastBlock, BatchHash = e.BatchHash, Accumulator = e.Accumulator,
                TxCount = e.TxCount, TxRoot = e.TxRoot, ForcedThrough = e.ForcedThrough, DaCommitment = e.DaCommitment,
            });
            Assert.Equal(1, (int)receipt.Status.Value);
        }

        return inbox;
    }

    private string[] ArgumentsFor(string inbox) =>
        ["--l1-rpc", chain.Anvil.RpcUrl, "--inbox", inbox, "--da", chain.DaDirectory, "--chain-id", SequencerProcess.ChainId.ToString(CultureInfo.InvariantCulture), "--sequencer", chain.SequencerAddress];

    private async Task<string> ProverKeyFileAsync()
    {
        // Anvil's third public development key: the prover pays gas and receives the reward.
        var path = Path.Combine(chain.WorkDirectory, "prover.key");
        await File.WriteAllTextAsync(path, "0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a");
        return path;
    }

    private Task<BigInteger> BondAsync(string inbox) =>
        new Web3(chain.Anvil.RpcUrl).Eth.GetContractQueryHandler<BondFunction>().QueryAsync<BigInteger>(inbox, new BondFunction());

    /// <summary>Moves anvil's clock so that the next block is past <paramref name="unixSeconds"/> (no waiting).</summary>
    private async Task AdvanceL1PastAsync(ulong unixSeconds)
    {
        var web3 = new Web3(chain.Anvil.RpcUrl);
        var head = await web3.Eth.Blocks.GetBlockWithTransactionsHashesByNumber.SendRequestAsync(Nethereum.RPC.Eth.DTOs.BlockParameter.CreateLatest());
        if ((ulong)head.Timestamp.Value <= unixSeconds)
        {
            await web3.Client.SendRequestAsync<object>("evm_increaseTime", null, new HexBigInteger(unixSeconds - (ulong)head.Timestamp.Value + 1));
        }

        await web3.Client.SendRequestAsync<object>("evm_mine", null);
    }
}
