using System.Numerics;
using Batcher.L1;
using Nethereum.Contracts;
using Primitives;
using Primitives.Chain;
using TestInfrastructure.Anvil;

namespace Batcher.Tests.L1;

/// <summary>BatchInbox's proofs against broken soft confirmations, on a real anvil (docs/l1.md, "Proofs").</summary>
[Collection(AnvilFixture.Collection)]
public sealed class ConfirmationProofContractTests(AnvilFixture anvil)
{
    private static readonly BigInteger Bond = BigInteger.Parse("1000000000000000000", System.Globalization.CultureInfo.InvariantCulture);

    private static readonly string[] Errors =
    [
        "ConfirmationMatchesBatch()", "InvalidInclusionProof()", "NotSequencerSignature(address,address)", "SequencerIsFaulted(address)",
        "SequencePublished(uint64,uint64)", "PublishDelayNotOver(uint256,uint256)", "BadSignature()", "SequenceNotInBatch(uint64,uint64,uint64)",
        "SequencerStillActive(address)", "SequencerKeyFaulted(address)", "NotOwner(address)", "BatchNotPosted(uint64)",
    ];

    [Fact]
    public async Task The_contract_hashes_a_confirmation_exactly_as_eip712_over_the_rpc_domain_and_type()
    {
        var rig = await InboxRig.DeployAsync(anvil.Node);
        var confirmation = ConfirmationSigning.Confirmation(7, Keccak.Hash([1]), Keccak.Hash([2]), 1_767_000_000, blockNumber: 3, index: 2);

        var digest = await rig.QueryAsync<ConfirmationDigestFunction, byte[]>(new ConfirmationDigestFunction { Confirmation = confirmation });

        Assert.Equal(ConfirmationSigning.Digest(confirmation, InboxRig.L2ChainId), digest);
    }

    [Fact]
    public async Task A_confirmation_that_disagrees_with_the_posted_leaf_slashes_the_bond_once()
    {
        var (rig, posted) = await PostedBatchAsync();
        var honest = HonestConfirmation(posted, 5);
        var conflicting = ConfirmationSigning.Confirmation(5, Keccak.Hash([0xde, 0xad]), Keccak.Hash([0xbe, 0xef]), honest.Timestamp);
        var proof = Proof(posted, 5);
        var proverBalance = await BalanceAsync(rig, InboxRig.ProverAddress);

        var receipt = await rig.SendAsync(InboxRig.ProverKey, new ProveEquivocationFunction
        {
            Confirmation = conflicting, Signature = ConfirmationSigning.Sign(conflicting, InboxRig.SequencerKey, InboxRig.L2ChainId), Proof = proof,
        });

        var slashed = receipt.DecodeAllEvents<SequencerSlashedEvent>().Single().Event;
        Assert.Equal((1, 5UL, Bond / 2, Bond / 2), (slashed.Fault, slashed.Sequence, slashed.Reward, slashed.BurnedAmount));
        Assert.Equal(InboxRig.SequencerAddress.ToLowerInvariant(), slashed.Sequencer.ToLowerInvariant());
        Assert.Equal(BigInteger.Zero, await rig.BondAsync());
        Assert.True(await rig.FaultedAsync());
        var gasPaid = receipt.GasUsed.Value * receipt.EffectiveGasPrice.Value;
        Assert.Equal(proverBalance + Bond / 2 - gasPaid, await BalanceAsync(rig, InboxRig.ProverAddress));

        // No second claim, and the faulted sequencer's batches stop.
        var again = new ProveEquivocationFunction { Confirmation = conflicting, Signature = ConfirmationSigning.Sign(conflicting, InboxRig.SequencerKey, InboxRig.L2ChainId), Proof = proof };
        Assert.Equal("SequencerIsFaulted", await rig.RevertOfAsync(InboxRig.ProverKey, again, Errors));
        Assert.Equal("SequencerIsFaulted", await rig.RevertOfAsync(AnvilNode.DevKey1, rig.Batch(1, 3, 3, ForcedInclusionContractTests.Leaves(8, 1)), Errors));
        // Only the owner registers a new key, never the slashed one again; then batches flow.
        Assert.Equal("NotOwner", await rig.RevertOfAsync(AnvilNode.DevKey1, new RegisterSequencerFunction { NewSequencer = InboxRig.ProverAddress }, Errors));
        Assert.Equal("SequencerKeyFaulted", await rig.RevertOfAsync(AnvilNode.DevKey0, new RegisterSequencerFunction { NewSequencer = InboxRig.SequencerAddress }, Errors));
        await rig.SendAsync(AnvilNode.DevKey0, new RegisterSequencerFunction { NewSequencer = InboxRig.ProverAddress });
        Assert.False(await rig.FaultedAsync());
        Assert.Equal(1, (int)(await rig.AppendAsync(rig.Batch(1, 3, 3, ForcedInclusionContractTests.Leaves(8, 1)))).Status.Value);
    }

    [Fact]
    public async Task Every_equivocation_proof_against_an_honest_confirmation_reverts_and_the_bond_stays()
    {
        var (rig, posted) = await PostedBatchAsync();
        for (var sequence = 0; sequence < posted.Length; sequence++)
        {
            var honest = HonestConfirmation(posted, sequence);
            var signature = ConfirmationSigning.Sign(honest, InboxRig.SequencerKey, InboxRig.L2ChainId);
            Assert.Equal("ConfirmationMatchesBatch", await rig.RevertOfAsync(InboxRig.ProverKey,
                new ProveEquivocationFunction { Confirmation = honest, Signature = signature, Proof = Proof(posted, sequence) }, Errors));
            // A made-up leaf cannot be proven against the root.
            var forged = Proof(posted, sequence);
            forged.PostedTxHash = Keccak.Hash([0x66]).ToArray();
            Assert.Equal("InvalidInclusionProof", await rig.RevertOfAsync(InboxRig.ProverKey,
                new ProveEquivocationFunction { Confirmation = honest, Signature = signature, Proof = forged }, Errors));
            Assert.Equal("SequencePublished", await rig.RevertOfAsync(InboxRig.ProverKey,
                new ProveNotPublishedFunction { Confirmation = honest, Signature = signature }, Errors));
        }

        Assert.Equal(Bond, await rig.BondAsync());
        Assert.False(await rig.FaultedAsync());
    }

    [Fact]
    public async Task A_confirmation_signed_by_another_key_or_with_a_broken_signature_proves_nothing()
    {
        var (rig, posted) = await PostedBatchAsync();
        var conflicting = ConfirmationSigning.Confirmation(2, Keccak.Hash([9]), Keccak.Hash([9]), 1);

        var byOther = new ProveEquivocationFunction { Confirmation = conflicting, Signature = ConfirmationSigning.Sign(conflicting, InboxRig.ProverKey, InboxRig.L2ChainId), Proof = Proof(posted, 2) };
        var otherChain = new ProveEquivocationFunction { Confirmation = conflicting, Signature = ConfirmationSigning.Sign(conflicting, InboxRig.SequencerKey, 1), Proof = Proof(posted, 2) };
        var truncated = new ProveEquivocationFunction { Confirmation = conflicting, Signature = new byte[64], Proof = Proof(posted, 2) };

        Assert.Equal("NotSequencerSignature", await rig.RevertOfAsync(InboxRig.ProverKey, byOther, Errors));
        Assert.Equal("NotSequencerSignature", await rig.RevertOfAsync(InboxRig.ProverKey, otherChain, Errors));
        Assert.Equal("BadSignature", await rig.RevertOfAsync(InboxRig.ProverKey, truncated, Errors));
        Assert.Equal(Bond, await rig.BondAsync());
    }

    [Fact]
    public async Task A_sequence_no_batch_covers_after_the_publish_delay_slashes_and_not_before()
    {
        var (rig, posted) = await PostedBatchAsync();
        var now = await rig.L1TimestampAsync();
        var unposted = ConfirmationSigning.Confirmation((ulong)posted.Length, Keccak.Hash([7]), Keccak.Hash([8]), now);
        var call = new ProveNotPublishedFunction { Confirmation = unposted, Signature = ConfirmationSigning.Sign(unposted, InboxRig.SequencerKey, InboxRig.L2ChainId) };

        Assert.Equal("PublishDelayNotOver", await rig.RevertOfAsync(InboxRig.ProverKey, call, Errors));
        await rig.IncreaseTimeAsync(601);
        var receipt = await rig.SendAsync(InboxRig.ProverKey, call);

        var slashed = receipt.DecodeAllEvents<SequencerSlashedEvent>().Single().Event;
        Assert.Equal((2, (ulong)posted.Length), (slashed.Fault, slashed.Sequence));
        Assert.True(await rig.FaultedAsync());
        Assert.Equal("SequencerIsFaulted", await rig.RevertOfAsync(InboxRig.ProverKey, call, Errors));
    }

    /// <summary>A bonded inbox holding one batch of 11 transactions (sequences 0-10), and their leaves' data.</summary>
    private async Task<(InboxRig Rig, Hash32[] Leaves)> PostedBatchAsync()
    {
        var rig = await InboxRig.DeployAsync(anvil.Node, maxPublishDelay: 600);
        await rig.PostBondAsync(Bond);
        var leaves = ForcedInclusionContractTests.Leaves(0, 11);
        await rig.AppendAsync(rig.Batch(0, 1, 2, leaves));
        return (rig, leaves);
    }

    private static (Hash32 TxHash, Hash32 Accumulator) LeafData(int sequence)
    {
        var accumulator = Hash32.Zero;
        Hash32 txHash = default;
        for (var s = 0; s <= sequence; s++)
        {
            txHash = Keccak.Hash([0x02, 0, (byte)s]);
            accumulator = Accumulator.Next(accumulator, txHash);
        }

        return (txHash, accumulator);
    }

    private static SoftConfirmationStruct HonestConfirmation(Hash32[] leaves, int sequence)
    {
        var (txHash, accumulator) = LeafData(sequence);
        Assert.Equal(leaves[sequence], TransactionTree.Leaf((ulong)sequence, txHash, accumulator));
        return ConfirmationSigning.Confirmation((ulong)sequence, txHash, accumulator, 1_767_000_000);
    }

    private static InclusionProofStruct Proof(Hash32[] leaves, int sequence)
    {
        var (txHash, accumulator) = LeafData(sequence);
        return new InclusionProofStruct
        {
            BatchIndex = 0,
            PostedTxHash = txHash.ToArray(),
            PostedAccumulator = accumulator.ToArray(),
            Siblings = TransactionTree.Path(leaves, sequence).Select(h => h.ToArray()).ToList(),
        };
    }

    private static async Task<BigInteger> BalanceAsync(InboxRig rig, string address) =>
        (await new Nethereum.Web3.Web3(rig.Anvil.RpcUrl).Eth.GetBalance.SendRequestAsync(address)).Value;
}
