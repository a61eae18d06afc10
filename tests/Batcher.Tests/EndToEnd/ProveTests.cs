using System.Numerics;
using Batcher.L1;
using Batcher.Tests.L1;
using Batcher.Verification;
using Nethereum.Contracts;
using Nethereum.Hex.HexConvertors.Extensions;
using Nethereum.Web3;
using Nethereum.Web3.Accounts;
using Primitives;
using TestInfrastructure.Anvil;

namespace Batcher.Tests.EndToEnd;

/// <summary>
/// <c>verify --prove</c> against a batcher on a real anvil: a broken promise (a test-only signer holding
/// the sequencer's key, or a batch withheld) ends with the bond slashed; honest confirmations never do.
/// In this rig the batcher's key is also the registered sequencer key.
/// </summary>
[Collection(AnvilFixture.Collection)]
public sealed class ProveTests(AnvilFixture anvil) : IDisposable
{
    private static readonly BigInteger Bond = BigInteger.Pow(10, 18);

    private readonly string _keyFile = Path.Combine(Path.GetTempPath(), $"prover-{Guid.NewGuid():N}.key");

    [Fact]
    public async Task Honest_confirmations_prove_nothing_and_a_conflicting_one_gets_the_bond_slashed()
    {
        await using var rig = await BatcherRig.StartAsync(anvil.Node);
        await BondAsync(rig);
        rig.Start();
        for (var i = 0; i < 4; i++)
        {
            rig.Chain.SealBlock(6);
        }

        await rig.WaitUntilAllConfirmedAsync();
        var honest = rig.Chain.Confirmed.Select(BatcherRig.ToSoftConfirmation).Select(Signed).ToList();

        var (honestExit, honestOutput) = await rig.RunVerifyCommandAsync(honest, "--prove", _keyFile);
        Assert.True(honestExit == 0, honestOutput);
        Assert.DoesNotContain("PROVED", honestOutput);
        foreach (var confirmation in honest)
        {
            Assert.Equal("SequencePublished", await RevertOfAsync(rig, new ProveNotPublishedFunction { Confirmation = Struct(confirmation), Signature = confirmation.Signature!.HexToByteArray() }));
        }

        Assert.Equal(Bond, await BondOfAsync(rig));

        // The sequencer's key signs a second confirmation for sequence 9, naming another transaction.
        var conflicting = Signed(honest[9] with { TxHash = Keccak.Hash([0x99]).ToString() });
        var (exit, output) = await rig.RunVerifyCommandAsync([.. honest, conflicting], "--prove", _keyFile);

        Assert.Equal(1, exit);
        Assert.Contains("PROVED: proveEquivocation for sequence 9", output);
        Assert.Equal(BigInteger.Zero, await BondOfAsync(rig));
        Assert.True(await new Web3(anvil.Node.RpcUrl).Eth.GetContractQueryHandler<SequencerFaultedFunction>().QueryAsync<bool>(rig.Inbox, new SequencerFaultedFunction()));
    }

    [Fact]
    public async Task A_batch_withheld_past_the_publish_delay_gets_the_bond_slashed()
    {
        var withheld = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var rig = await BatcherRig.StartAsync(anvil.Node);
        await BondAsync(rig);
        try
        {
            rig.Start(beforeBroadcast: post => post.BatchIndex >= 1 ? withheld.Task : Task.CompletedTask);
            rig.Chain.SealBlock(3);
            await TestInfrastructure.Eventually.UntilAsync(() => Task.FromResult(rig.Status.LastBatchConfirmed >= 0), TimeSpan.FromSeconds(30), "batch 0 to be confirmed");
            rig.Chain.SealBlock(3);
            var confirmations = rig.Chain.Confirmed.Select(BatcherRig.ToSoftConfirmation).Select(Signed).ToList();

            var (exit, output) = await rig.RunVerifyCommandAsync(confirmations, "--prove", _keyFile);

            Assert.Equal(1, exit);
            Assert.Contains("PROVED: proveNotPublished for sequence 3", output);
            Assert.Contains("1 proof submitted on L1", output);
            Assert.Equal(BigInteger.Zero, await BondOfAsync(rig));
        }
        finally
        {
            withheld.TrySetResult();
        }
    }

    public void Dispose() => File.Delete(_keyFile);

    private async Task BondAsync(BatcherRig rig)
    {
        await File.WriteAllTextAsync(_keyFile, InboxRig.ProverKey);
        var owner = new Web3(new Account(AnvilNode.DevKey0, anvil.Node.ChainId), anvil.Node.RpcUrl);
        await owner.Eth.GetContractTransactionHandler<PostBondFunction>().SendRequestAndWaitForReceiptAsync(rig.Inbox, new PostBondFunction { AmountToSend = Bond });
    }

    private Task<BigInteger> BondOfAsync(BatcherRig rig) =>
        new Web3(anvil.Node.RpcUrl).Eth.GetContractQueryHandler<BondFunction>().QueryAsync<BigInteger>(rig.Inbox, new BondFunction());

    private async Task<string> RevertOfAsync<TFunction>(BatcherRig rig, TFunction function)
        where TFunction : FunctionMessage, new()
    {
        function.FromAddress = InboxRig.ProverAddress;
        try
        {
            await new Web3(anvil.Node.RpcUrl).Eth.GetContractQueryHandler<TFunction>().QueryRawAsync(rig.Inbox, function);
        }
        catch (SmartContractCustomErrorRevertException revert)
        {
            return InboxErrors.Name(revert.ExceptionEncodedData);
        }

        return "no revert";
    }

    private static SoftConfirmation Signed(SoftConfirmation confirmation) =>
        confirmation with { Signature = ConfirmationSigning.Sign(Struct(confirmation), BatcherRig.BatcherKey, Chain.TestChain.ChainId).ToHex(true) };

    private static SoftConfirmationStruct Struct(SoftConfirmation c) => new()
    {
        TxHash = c.TxHash.HexToByteArray(),
        Sequence = c.Sequence,
        BlockNumber = c.BlockNumber,
        Index = c.Index,
        Timestamp = c.Timestamp,
        Accumulator = c.Accumulator.HexToByteArray(),
    };
}
