using Batcher.L1;
using Batcher.Tests.L1;
using Batcher.Verification;
using DaClient.Local;
using Nethereum.Web3;
using Nethereum.Web3.Accounts;
using Primitives;
using Primitives.Chain;
using TestInfrastructure.Anvil;

namespace Batcher.Tests.EndToEnd;

/// <summary>The Merkle root appendBatch commits (docs/batch-format.md, "Transaction root"): posted by the batcher, checked by verify.</summary>
[Collection(AnvilFixture.Collection)]
public sealed class TransactionRootTests(AnvilFixture anvil)
{
    [Fact]
    public async Task The_batcher_posts_the_root_of_its_transactions_and_verify_rejects_a_batch_whose_root_disagrees()
    {
        await using var rig = await BatcherRig.StartAsync(anvil.Node);
        rig.Start();
        for (var i = 0; i < 3; i++)
        {
            rig.Chain.SealBlock(5);
        }

        await rig.WaitUntilAllConfirmedAsync();
        var posted = (await rig.EventsAsync())[0];
        var leaves = rig.Chain.Confirmed.Take((int)posted.TxCount)
            .Select(c => TransactionTree.Leaf(c.Sequence, new Hash32(c.TxHash), new Hash32(c.Accumulator))).ToArray();
        Assert.Equal(TransactionTree.Root(leaves).ToArray(), posted.TxRoot);
        Assert.Equal(0UL, posted.FirstSequence);

        // The same batch 0 in a second inbox, its root off by one bit.
        var second = await InboxDeployer.DeployAsync(anvil.Node.RpcUrl, AnvilNode.DevKey0,
            new InboxSettings(new Nethereum.Signer.EthECKey(BatcherRig.BatcherKey).GetPublicAddress(), InboxRig.SequencerAddress, 1));
        var wrongRoot = posted.TxRoot.ToArray();
        wrongRoot[31] ^= 1;
        var web3 = new Web3(new Account(BatcherRig.BatcherKey, anvil.Node.ChainId), anvil.Node.RpcUrl);
        await web3.Eth.GetContractTransactionHandler<AppendBatchFunction>().SendRequestAndWaitForReceiptAsync(second, new AppendBatchFunction
        {
            BatchIndex = 0, FirstBlock = posted.FirstBlock, LastBlock = posted.LastBlock, BatchHash = posted.BatchHash, Accumulator = posted.Accumulator,
            TxCount = posted.TxCount, TxRoot = wrongRoot, DaCommitment = posted.DaCommitment,
        });

        var output = new StringWriter();
        var request = new VerifyRequest(anvil.Node.RpcUrl, second, new DaClient.MultiBackendDaReader([new LocalDaStore(rig.DaDirectory, fsync: false)]))
        {
            ChainId = Chain.TestChain.ChainId,
        };
        var report = await new ChainVerifier(output).VerifyAsync(request, CancellationToken.None);

        Assert.False(report.Passed, output.ToString());
        Assert.Contains("batch 0: its transactions have Merkle root", output.ToString());
        var (honest, honestOutput) = await rig.VerifyAsync();
        Assert.True(honest.Passed, honestOutput);
    }
}
