using System.Numerics;
using Batcher.L1;
using Primitives;
using Primitives.Chain;
using TestInfrastructure.Anvil;
using Xunit.Abstractions;

namespace Batcher.Tests.L1;

/// <summary>
/// Gas of BatchInbox's calls on a real anvil, printed for docs/benchmarks.md and docs/l1.md. The only
/// assertion is the design bound of issue 13: a proof costs under 300k gas.
/// </summary>
[Collection(AnvilFixture.Collection)]
public sealed class InboxGasTests(AnvilFixture anvil, ITestOutputHelper output)
{
    private const int ProofGasBound = 300_000;

    [Theory]
    [InlineData(1)]
    [InlineData(100)]
    [InlineData(1024)]
    [InlineData(65536)]
    public async Task Proofs_cost_under_300k_gas_and_appending_costs_the_same_for_any_batch_size(int transactions)
    {
        var rig = await InboxRig.DeployAsync(anvil.Node, maxPublishDelay: 600);
        await rig.PostBondAsync(BigInteger.One << 60);
        var leaves = ForcedInclusionContractTests.Leaves(0, transactions);
        // A 64-byte commitment stands for a DA certificate; the batch itself travels elsewhere.
        var first = rig.Batch(0, 1, 1, leaves);
        first.DaCommitment = new byte[64];
        first.DaCommitment[0] = 0x02;
        var firstReceipt = await rig.AppendAsync(first);
        var next = rig.Batch(1, 2, 2, ForcedInclusionContractTests.Leaves((ulong)transactions, transactions));
        next.DaCommitment = first.DaCommitment;
        var nextReceipt = await rig.AppendAsync(next);

        var rawTx = new byte[110];
        rawTx[0] = 0x02;
        var forced = await rig.ForceIncludeAsync(rawTx);
        var consuming = rig.Batch(2, 3, 3, ForcedInclusionContractTests.Leaves(2 * (ulong)transactions, transactions), forcedThrough: 1);
        consuming.DaCommitment = first.DaCommitment;
        var consumingReceipt = await rig.AppendAsync(consuming);

        var position = transactions / 2;
        var conflicting = ConfirmationSigning.Confirmation((ulong)position, Keccak.Hash([0xde]), Keccak.Hash([0xad]), 1);
        var equivocation = new ProveEquivocationFunction
        {
            Confirmation = conflicting,
            Signature = ConfirmationSigning.Sign(conflicting, InboxRig.SequencerKey, InboxRig.L2ChainId),
            Proof = ProofFor(leaves, position),
        };
        var proved = await rig.SendAsync(InboxRig.ProverKey, equivocation);

        // A second key, bonded again, for the other proof.
        await rig.SendAsync(AnvilNode.DevKey0, new RegisterSequencerFunction { NewSequencer = new Nethereum.Signer.EthECKey(AnvilNode.DevKey1).GetPublicAddress() });
        await rig.PostBondAsync(BigInteger.One << 60);
        var now = await rig.L1TimestampAsync();
        var unposted = ConfirmationSigning.Confirmation(3 * (ulong)transactions, Keccak.Hash([7]), Keccak.Hash([8]), now);
        await rig.IncreaseTimeAsync(601);
        var notPublished = await rig.SendAsync(InboxRig.ProverKey, new ProveNotPublishedFunction
        {
            Confirmation = unposted, Signature = ConfirmationSigning.Sign(unposted, AnvilNode.DevKey1, InboxRig.L2ChainId),
        });

        output.WriteLine($"transactions per batch: {transactions}");
        output.WriteLine($"appendBatch first batch: {firstReceipt.GasUsed.Value} gas");
        output.WriteLine($"appendBatch next batch: {nextReceipt.GasUsed.Value} gas ({(double)nextReceipt.GasUsed.Value / transactions:F1} per tx)");
        output.WriteLine($"appendBatch consuming 1 forced entry: {consumingReceipt.GasUsed.Value} gas");
        output.WriteLine($"forceInclude 110-byte tx: {forced.GasUsed.Value} gas");
        output.WriteLine($"proveEquivocation ({equivocation.Proof.Siblings.Count} siblings): {proved.GasUsed.Value} gas");
        output.WriteLine($"proveNotPublished: {notPublished.GasUsed.Value} gas");
        Assert.Equal(1, (int)proved.Status.Value);
        Assert.Equal(1, (int)notPublished.Status.Value);
        Assert.True(proved.GasUsed.Value < ProofGasBound, $"proveEquivocation costs {proved.GasUsed.Value} gas");
        Assert.True(notPublished.GasUsed.Value < ProofGasBound, $"proveNotPublished costs {notPublished.GasUsed.Value} gas");
    }

    private static InclusionProofStruct ProofFor(Hash32[] leaves, int position)
    {
        var accumulator = Hash32.Zero;
        Hash32 txHash = default;
        for (var s = 0; s <= position; s++)
        {
            txHash = Keccak.Hash([0x02, 0, (byte)s]);
            accumulator = Accumulator.Next(accumulator, txHash);
        }

        Assert.Equal(leaves[position], TransactionTree.Leaf((ulong)position, txHash, accumulator));
        return new InclusionProofStruct
        {
            BatchIndex = 0,
            PostedTxHash = txHash.ToArray(),
            PostedAccumulator = accumulator.ToArray(),
            Siblings = TransactionTree.Path(leaves, position).Select(h => h.ToArray()).ToList(),
        };
    }
}
