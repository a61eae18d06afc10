using System.Globalization;
using System.Text.Json;
using Sequencer.Tests.Infrastructure;
using TestInfrastructure;
using TestInfrastructure.Etcd;
using TestInfrastructure.Ethereum;

namespace Sequencer.Tests.Replication;

/// <summary>
/// The leader's empty blocks are not records, so they are not shipped: a follower rebuilds them from the gap in block
/// numbers before the leader's next record, with the leader's hashes (issue 14, "Liveness of the head").
/// </summary>
[Collection(EtcdServerFixture.Collection)]
public sealed class ReplicaEmptyBlockTests(EtcdServerFixture etcd)
{
    [Fact]
    public async Task Followers_hold_the_leaders_empty_blocks_with_the_same_hashes()
    {
        await using var set = new ReplicaSet(etcd.Server.ClientUrl);
        await set.StartAsync();
        var leader = await set.LeaderAsync();
        var wallet = TestWallet.FromSeed(1431, SequencerHostFixture.ChainId);
        using var rpc = set.Rpc(leader);

        var first = Number(await rpc.ResultAsync("sequencer_sendRawTransaction", wallet.Sign1559(wallet.TakeNonce())), "blockNumber");
        await Eventually.UntilAsync(async () => Parse((await rpc.ResultAsync("eth_blockNumber")).GetString()!) >= first + 2,
            ReplicaSet.Bound, "the leader's head never passed two empty blocks");
        var second = await rpc.ResultAsync("sequencer_sendRawTransaction", wallet.Sign1559(wallet.TakeNonce()));
        var last = Number(second, "blockNumber");
        Assert.True(last >= first + 3, $"the second transaction is in block {last}, expected after the empty blocks that followed block {first}");

        foreach (var node in Enumerable.Range(0, 3).Where(i => i != leader))
        {
            using var replica = set.Rpc(node);
            var hash = second.GetProperty("txHash").GetString();
            await Eventually.UntilAsync(() => replica.ResultAsync("sequencer_getSoftConfirmation", hash),
                found => found.ValueKind != JsonValueKind.Null, ReplicaSet.Bound, _ => $"confirmation {hash} on replica {node}");
            // Up to the block before the second transaction's: a follower seals a block when the leader's next one begins.
            for (var n = first; n < last; n++)
            {
                var block = "0x" + n.ToString("x", CultureInfo.InvariantCulture);
                var expected = await rpc.ResultAsync("sequencer_getBlockByNumber", block, false);
                var held = await Eventually.UntilAsync(() => replica.ResultAsync("sequencer_getBlockByNumber", block, false),
                    found => found.ValueKind != JsonValueKind.Null, ReplicaSet.Bound, _ => $"block {n} on replica {node}");
                Assert.Equal(expected.GetProperty("hash").GetString(), held.GetProperty("hash").GetString());
            }
        }
    }

    private static ulong Number(JsonElement element, string name) => Parse(element.GetProperty(name).GetString()!);

    private static ulong Parse(string hex) => ulong.Parse(hex.AsSpan(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
}
