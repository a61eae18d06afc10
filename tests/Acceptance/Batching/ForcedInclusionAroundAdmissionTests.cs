using System.Net.Http.Json;
using System.Text.Json;
using Acceptance.Browser;
using Batcher.L1;
using Nethereum.Hex.HexConvertors.Extensions;
using Nethereum.Util;
using Nethereum.Web3;
using Nethereum.Web3.Accounts;
using TestInfrastructure;
using TestInfrastructure.Anvil;
using TestInfrastructure.Ethereum;
using TestInfrastructure.Identity;
using TestInfrastructure.Sequencer;

namespace Acceptance.Batching;

/// <summary>
/// The way around subjective admission (docs/l1.md, "What you can do when you are refused"): on the real host
/// (Development, dev login, a policy that blocks dev:eve and allows one paid transaction per sender and hour), a person
/// whose identity is blocked and a paid sender held back by the paid-lane limit each queue a signed transaction with
/// forceInclude on anvil, and see it sequenced, soft-confirmed on the feed and in a batch posted within the window.
/// </summary>
public sealed class ForcedInclusionAroundAdmissionTests : IAsyncLifetime
{
    private const ulong Window = 25;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private readonly string _work = Directory.CreateTempSubdirectory("forced-admission-").FullName;
    private AnvilNode? _anvil;
    private SequencerWithLogin? _host;
    private string _inbox = "";

    private AnvilNode Anvil => _anvil!;

    private SequencerWithLogin Host => _host!;

    public async Task InitializeAsync()
    {
        _anvil = await AnvilNode.StartAsync();
        var batcher = new Nethereum.Signer.EthECKey(PublishedChainFixture.BatcherKey).GetPublicAddress();
        // The inbox's sequencer key matters only to proofs, which this test does not make.
        var sequencer = new Nethereum.Signer.EthECKey(SequencerProcess.TestPrivateKey).GetPublicAddress();
        _inbox = await InboxDeployer.DeployAsync(Anvil.RpcUrl, AnvilNode.DevKey0, new InboxSettings(batcher, sequencer, SequencerProcess.ChainId));
        var keyFile = Path.Combine(_work, "batcher-l1.key");
        await File.WriteAllTextAsync(keyFile, PublishedChainFixture.BatcherKey);
        var policy = Path.Combine(_work, "policy.json");
        await File.WriteAllTextAsync(policy, """
            {
              "version": 1,
              "rules": [ { "name": "dev", "provider": "*", "allowedContracts": [ { "address": "*" } ], "maxGasPerTx": 500000,
                           "rate": { "burst": { "count": 10, "periodSeconds": 10 } } } ],
              "globalDailySponsoredGas": 10000000000,
              "blocked": [ "dev:eve" ],
              "paid": { "perSender": { "burst": { "count": 1, "periodSeconds": 3600 } } }
            }
            """);
        _host = await SequencerWithLogin.StartDevelopmentAsync(
        [
            $"--Sequencer:ChainId={SequencerProcess.ChainId}",
            $"--Admission:PolicyFile={policy}",
            .. PublishedChainFixture.BatcherSettings(Anvil.RpcUrl, _inbox, keyFile),
        ]);
    }

    [Fact]
    public async Task A_blocked_identity_and_a_paid_sender_over_its_limit_get_in_through_forceInclude_within_the_window()
    {
        using var rpc = new RpcTestClient(Host.BaseUrl);
        using var feed = await RpcWebSocket.ConnectAsync(new Uri($"ws://{Host.BaseUrl.Authority}/ws"));
        await feed.SubscribeAsync("softConfirmations");

        // Eve is blocked: the sponsored lane refuses her.
        using var eve = new SessionCookieClient(Host.BaseUrl);
        await eve.LogInAsync("eve");
        using var refused = await eve.FromPageAsync(HttpMethod.Post, "/",
            """{"jsonrpc":"2.0","id":1,"method":"sequencer_sendSponsoredTransaction","params":[{"to":"0x000000000000000000000000000000000000dEaD"}]}""");
        var refusal = (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error");
        Assert.Equal(-32003, refusal.GetProperty("code").GetInt32());
        Assert.Contains("blocked", refusal.GetProperty("message").GetString(), StringComparison.Ordinal);

        // A paid sender gets one transaction an hour; the second is held back by the paid-lane limit.
        var payer = TestWallet.FromSeed(93_001, SequencerProcess.ChainId);
        Assert.Equal(JsonValueKind.String, (await rpc.ResultAsync("eth_sendRawTransaction", payer.Sign1559(0))).ValueKind);
        var limited = await rpc.CallAsync("eth_sendRawTransaction", payer.Sign1559(1));
        Assert.Equal(-32005, limited.ErrorCode);

        // Both go to L1 instead: Eve with a wallet of her own, the payer with the very transaction refused.
        var eveWallet = TestWallet.FromSeed(93_000, SequencerProcess.ChainId);
        string[] forced = [eveWallet.Sign1559(0), payer.Sign1559(1)];
        var queuedAt = new List<ulong>();
        foreach (var raw in forced)
        {
            queuedAt.Add(await ForceIncludeAsync(raw));
        }

        var sequences = new List<ulong>();
        foreach (var raw in forced)
        {
            var hash = Hash(raw);
            var confirmation = await Eventually.UntilAsync(
                async () => await rpc.ResultAsync("sequencer_getSoftConfirmation", hash),
                c => c.ValueKind == JsonValueKind.Object, Timeout, _ => $"forced transaction {hash} never sequenced");
            sequences.Add(SoftConfirmationVerifier.Quantity(confirmation, "sequence"));
        }

        var onFeed = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        using (var wait = new CancellationTokenSource(Timeout))
        {
            while (!forced.All(raw => onFeed.Contains(Hash(raw))))
            {
                var message = await feed.ReceiveAsync().WaitAsync(wait.Token);
                if (message.TryGetProperty("params", out var p) && p.GetProperty("result").TryGetProperty("txHash", out var h))
                {
                    onFeed.Add(h.GetString()!);
                }
            }
        }

        // Posted: a batch covering each sequence consumed both entries, within the window of each.
        var web3 = new Web3(Anvil.RpcUrl);
        var handler = web3.Eth.GetEvent<BatchAppendedEvent>(_inbox);
        var batches = await Eventually.UntilAsync(
            async () => await handler.GetAllChangesAsync(handler.CreateFilterInput(Nethereum.RPC.Eth.DTOs.BlockParameter.CreateEarliest(), Nethereum.RPC.Eth.DTOs.BlockParameter.CreateLatest())),
            logs => logs.Any(l => l.Event.ForcedThrough >= 2), Timeout, logs => $"{logs.Count} batches, none consumed both forced entries");
        for (var i = 0; i < forced.Length; i++)
        {
            var consuming = batches.First(l => l.Event.ForcedFrom <= (ulong)i && l.Event.ForcedThrough > (ulong)i);
            Assert.True((ulong)consuming.Log.BlockNumber.Value <= queuedAt[i] + Window, $"entry {i} consumed at L1 block {consuming.Log.BlockNumber.Value}, queued at {queuedAt[i]}");
            Assert.Contains(batches, l => l.Event.FirstSequence <= sequences[i] && sequences[i] < l.Event.FirstSequence + l.Event.TxCount);
        }
    }

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
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
        var web3 = new Web3(new Account(ForcedInclusionFixture.L1UserKey, Anvil.ChainId), Anvil.RpcUrl);
        var receipt = await web3.Eth.GetContractTransactionHandler<ForceIncludeFunction>()
            .SendRequestAndWaitForReceiptAsync(_inbox, new ForceIncludeFunction { RawTx = raw.HexToByteArray() });
        Assert.True(receipt.Status.Value == 1, "forceInclude reverted");
        return (ulong)receipt.BlockNumber.Value;
    }

    private static string Hash(string raw) => "0x" + Sha3Keccack.Current.CalculateHash(raw.HexToByteArray()).ToHex();
}
