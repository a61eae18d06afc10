using System.Net.Sockets;
using System.Text.Json;
using System.Text.RegularExpressions;
using Acceptance.Clients;
using TestInfrastructure.Anvil;
using TestInfrastructure.Ethereum;
using TestInfrastructure.Processes;
using TestInfrastructure.Sequencer;

namespace Acceptance.Execution;

/// <summary>
/// Issue 14, "accounts with money in development": <c>Sequencer:Execution:Kind=auto</c> in Development starts anvil as a
/// child process (funded dev accounts, receipts, <c>anvil_setBalance</c>) and stops it with the host; without an
/// anvil binary, or outside Development, the host orders only and its log says why and how to change it.
/// </summary>
[Collection(SequencerWithAnvilFixture.Collection)]
public sealed class ManagedAnvilTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Auto_in_development_runs_anvil_with_funded_accounts_and_receipts_and_stops_it_with_the_host()
    {
        var sequencer = await SequencerProcess.LaunchAsync("Development", testKeys: true,
            "--Sequencer:Execution:Kind=auto", $"--Sequencer:Execution:AnvilPath={ToolPaths.Anvil}", "--Sequencer:BlockTimeMs=50");
        int anvilPort;
        await using (sequencer)
        {
            Assert.True(sequencer.IsRunning, sequencer.RecentOutput);
            var started = Regex.Match(sequencer.RecentOutput, @"started anvil .* at http://127\.0\.0\.1:(\d+)");
            Assert.True(started.Success, sequencer.RecentOutput);
            anvilPort = int.Parse(started.Groups[1].Value);
            using var rpc = new RpcTestClient(sequencer.RpcUrl);

            // anvil's first dev account holds 10000 ether.
            Assert.Equal("0x21e19e0c9bab2400000", (await rpc.ResultAsync("eth_getBalance", "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266", "latest")).GetString());
            var fresh = TestWallet.FromSeed(14_501, SequencerProcess.ChainId);
            await rpc.ResultAsync("anvil_setBalance", fresh.Address, "0xde0b6b3a7640000");
            Assert.Equal("0xde0b6b3a7640000", (await rpc.ResultAsync("eth_getBalance", fresh.Address, "latest")).GetString());

            var sent = await CastTool.RunAsync(Timeout, "send", "--rpc-url", sequencer.RpcUrl.ToString(), "--private-key", "0x" + fresh.PrivateKeyHex.Replace("0x", ""), TestWallet.DeadAddress, "--value", "5", "--json");
            Assert.Equal("0x1", JsonDocument.Parse(sent).RootElement.GetProperty("status").GetString());
        }

        using var client = new TcpClient();
        await Assert.ThrowsAnyAsync<SocketException>(() => client.ConnectAsync("127.0.0.1", anvilPort));
    }

    [Theory]
    [InlineData("Development", "/nonexistent/anvil", "no anvil binary found")]
    [InlineData("Production", null, "starts anvil only in the Development environment")]
    public async Task Auto_without_a_managed_anvil_orders_only_and_the_log_says_why(string environment, string? anvilPath, string reason)
    {
        await using var sequencer = await SequencerProcess.LaunchAsync(environment, testKeys: true,
            "--Sequencer:Execution:Kind=auto", $"--Sequencer:Execution:AnvilPath={anvilPath ?? ToolPaths.Anvil}");

        Assert.True(sequencer.IsRunning, sequencer.RecentOutput);
        Assert.Contains(reason, sequencer.RecentOutput, StringComparison.Ordinal);
        Assert.Contains("ordering only", sequencer.RecentOutput, StringComparison.Ordinal);
        using var rpc = new RpcTestClient(sequencer.RpcUrl);
        Assert.Equal(-32601, (await rpc.CallAsync("eth_getBalance", TestWallet.DeadAddress, "latest")).ErrorCode);
    }
}
