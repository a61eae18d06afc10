using System.Numerics;
using Nethereum.RPC.Eth.DTOs;
using TestInfrastructure.Anvil;
using TestInfrastructure;

namespace Batcher.Tests.EndToEnd;

/// <summary>An L1 that does not mine: the post is re-signed with higher fees under the same nonce, and only one version lands.</summary>
public sealed class StuckPostTests
{
    [Fact]
    public async Task A_post_that_is_not_mined_is_bumped_and_only_one_version_lands()
    {
        await using var node = await AnvilNode.StartAsync(31337);
        await using var rig = await BatcherRig.StartAsync(node);
        // From now on transactions wait in the pool until evm_mine.
        await rig.Web3.Client.SendRequestAsync<object>("evm_setAutomine", null, false);
        rig.Options.L1.StuckAfterMs = 300;
        var nonceBefore = await rig.BatcherNonceAsync();
        rig.Start();
        rig.Chain.SealBlock(5);

        await Eventually.UntilAsync(() => BumpedTipInPoolAsync(rig), tip => tip != 0, TimeSpan.FromSeconds(20), _ => "no bumped post appeared in the pool");

        await rig.MineAsync(2);
        await rig.WaitUntilAllConfirmedAsync();

        Assert.Equal(nonceBefore + 1, await rig.BatcherNonceAsync());
        var events = await rig.EventsAsync();
        Assert.Single(events);
        var (report, output) = await rig.VerifyAsync();
        Assert.True(report.Passed, output);
    }

    // The pool's view of the batcher's pending post: its tip, once it is higher than the first signing's.
    private static async Task<BigInteger> BumpedTipInPoolAsync(BatcherRig rig)
    {
        var block = await rig.Web3.Eth.Blocks.GetBlockWithTransactionsByNumber.SendRequestAsync(BlockParameter.CreatePending());
        var post = block?.Transactions?.FirstOrDefault(t => string.Equals(t.To, rig.Inbox, StringComparison.OrdinalIgnoreCase));
        if (post is null || rig.Pipeline is null)
        {
            return 0;
        }

        var checkpoint = new Batcher.Pipeline.CheckpointFile(Path.Combine(rig.DataDirectory, rig.Options.CheckpointFile)).Load();
        var record = checkpoint.InFlight.FirstOrDefault();
        return record is { Signed.Count: > 1 } && post.MaxPriorityFeePerGas.Value > BigInteger.Parse(record.Signed[0].MaxPriorityFeePerGas)
            ? post.MaxPriorityFeePerGas.Value
            : 0;
    }
}
