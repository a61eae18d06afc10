using System.Text.Json;
using System.Text.Json.Nodes;
using Batcher.L1;
using Nethereum.RPC.Eth.DTOs;
using Nethereum.Web3;
using TestInfrastructure.Anvil;
using TestInfrastructure.Ethereum;
using TestInfrastructure.Sequencer;
using Xunit.Abstractions;
using TestInfrastructure;

namespace Acceptance.Batching;

/// <summary>
/// The sequencer process publishing to anvil while anvil is killed and started fresh on the same port (an L1
/// reset: every nonce back to 0, the inbox gone) and the inbox is deployed again at the same address. The
/// running batcher must say so in its status, post every batch again once, and the `verify` command (run as a
/// process) must pass on the new chain with every confirmation checked, also after the sequencer is killed
/// and started again.
/// </summary>
public sealed class L1ResetTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly string _work = Directory.CreateTempSubdirectory("l1-reset-").FullName;
    private AnvilNode? _anvil;
    private SequencerProcess? _sequencer;

    [Fact]
    public async Task After_an_L1_reset_every_batch_is_posted_again_once_and_verify_passes_end_to_end()
    {
        var anvil = _anvil = await AnvilNode.StartAsync();
        var inbox = await DeployInboxAsync(anvil);
        var keyFile = Path.Combine(_work, "batcher-l1.key");
        await File.WriteAllTextAsync(keyFile, PublishedChainFixture.BatcherKey);
        var sequencer = _sequencer = await SequencerProcess.StartAsync(PublishedChainFixture.BatcherSettings(anvil.RpcUrl, inbox, keyFile));
        var first = await PublishedChainFixture.SendTransactionsAsync(sequencer.RpcUrl, walletSeed: 71_000);
        var (before, _) = await PublishedChainFixture.WaitUntilPublishedAsync(anvil.RpcUrl, inbox, sequencer, LastBlock(first));
        Assert.True(before.Count >= 2, $"expected several batches at a 4 KiB bound, got {before.Count}");

        await anvil.RestartFreshAsync();
        var missing = await WaitForBatcherAsync(sequencer, s => s.GetProperty("state").GetString() == "reconciling"
            && s.GetProperty("reconcileReason").GetString()?.Contains($"there is no contract at the inbox address {inbox}", StringComparison.OrdinalIgnoreCase) == true);
        output.WriteLine("while the inbox is missing: " + missing.GetRawText());
        Assert.Equal(inbox, await DeployInboxAsync(anvil), StringComparer.OrdinalIgnoreCase);
        var second = await PublishedChainFixture.SendTransactionsAsync(sequencer.RpcUrl, walletSeed: 72_000);
        var (events, status) = await PublishedChainFixture.WaitUntilPublishedAsync(anvil.RpcUrl, inbox, sequencer, LastBlock(second), TimeSpan.FromSeconds(90));
        output.WriteLine("after the reset: " + status.GetRawText());

        AssertPublishedOnce(events, LastBlock(second));
        Assert.Equal(before.Select(e => Convert.ToHexString(e.BatchHash)), events.Take(before.Count).Select(e => Convert.ToHexString(e.BatchHash)));
        Assert.Equal((ulong)events.Count, await BatcherNonceAsync(anvil));
        Assert.True(status.GetProperty("state").GetString() == "running", status.GetRawText());
        Assert.True(status.GetProperty("lastError").ValueKind == JsonValueKind.Null, status.GetRawText());
        Assert.True(status.GetProperty("batchesReposted").GetInt64() >= before.Count, status.GetRawText());
        Assert.Contains("the inbox expects batch 0 next, but batches up to", status.GetProperty("reconcileReason").GetString());

        // A crash and restart finds L1 in agreement: nothing is posted a second time.
        await sequencer.KillAsync();
        await sequencer.RestartAsync();
        var (afterRestart, restarted) = await PublishedChainFixture.WaitUntilPublishedAsync(anvil.RpcUrl, inbox, sequencer, LastBlock(second));
        Assert.Equal(events.Count, afterRestart.Count);
        Assert.Equal(0, restarted.GetProperty("reconciliations").GetInt64());
        Assert.Equal((ulong)events.Count, await BatcherNonceAsync(anvil));

        var confirmations = Path.Combine(_work, "confirmations.json");
        await PublishedChainFixture.WriteConfirmationsAsync(confirmations, first.Concat(second).Select(c => JsonNode.Parse(c.GetRawText())!));
        var daDirectory = Path.Combine(sequencer.DataDirectory, "da");
        var (exitCode, text) = await VerifyTool.RunAsync(
            "--l1-rpc", anvil.RpcUrl, "--inbox", inbox, "--da", daDirectory, "--confirmations", confirmations,
            "--chain-id", SequencerProcess.ChainId.ToString(), "--sequencer", new Nethereum.Signer.EthECKey(SequencerProcess.TestPrivateKey).GetPublicAddress());
        output.WriteLine(text);
        var total = first.Count + second.Count;
        Assert.True(exitCode == 0, text);
        Assert.Contains($"{events.Count} batches, {LastBlock(second)} blocks, {total} transactions published; {total} confirmations checked, 0 not yet published", text);
        Assert.Contains("verify: OK", text);
    }

    private static ulong LastBlock(IEnumerable<JsonElement> confirmations) => confirmations.Max(c => SoftConfirmationVerifier.Quantity(c, "blockNumber"));

    private static void AssertPublishedOnce(List<BatchAppendedEvent> events, ulong lastBlock)
    {
        for (var i = 0; i < events.Count; i++)
        {
            Assert.Equal((ulong)i, events[i].BatchIndex);
            Assert.Equal(i == 0 ? 1UL : events[i - 1].LastBlock + 1, events[i].FirstBlock);
        }

        Assert.True(events[^1].LastBlock >= lastBlock);
    }

    private static Task<string> DeployInboxAsync(AnvilNode anvil) =>
        InboxDeployer.DeployAsync(anvil.RpcUrl, AnvilNode.DevKey0, new InboxSettings(
            new Nethereum.Signer.EthECKey(PublishedChainFixture.BatcherKey).GetPublicAddress(),
            new Nethereum.Signer.EthECKey(SequencerProcess.TestPrivateKey).GetPublicAddress(),
            SequencerProcess.ChainId));

    private static async Task<ulong> BatcherNonceAsync(AnvilNode anvil)
    {
        var address = new Nethereum.Signer.EthECKey(PublishedChainFixture.BatcherKey).GetPublicAddress();
        return (ulong)(await new Web3(anvil.RpcUrl).Eth.Transactions.GetTransactionCount.SendRequestAsync(address, BlockParameter.CreateLatest())).Value;
    }

    private static async Task<JsonElement> WaitForBatcherAsync(SequencerProcess sequencer, Func<JsonElement, bool> condition)
    {
        using var rpc = new RpcTestClient(sequencer.RpcUrl);
        return await Eventually.UntilAsync(
            async () => (await rpc.ResultAsync("sequencer_getStatus")).GetProperty("batcher").Clone(),
            condition,
            TimeSpan.FromSeconds(30),
            status => "batcher status never matched: " + status.GetRawText());
    }

    public Task InitializeAsync() => Task.CompletedTask;

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

        Directory.Delete(_work, recursive: true);
    }
}
