using System.Text.Json;
using Sequencer.Tests.Infrastructure;

namespace Sequencer.Tests.Rpc;

/// <summary>
/// Without an execution node the methods that need state (eth_call, balances, code, logs, …) cannot be answered. A
/// client must see why and what to configure (issue 14), in geth's words for a method that is not available, so
/// viem shows MethodNotFoundRpcError and ethers UNSUPPORTED_OPERATION with the reason, not a bare "method not found".
/// </summary>
public sealed class StateReadsWithoutNodeTests(SequencerHostFixture host) : IClassFixture<SequencerHostFixture>
{
    [Theory]
    [InlineData("eth_call", "[{\"to\":\"0x000000000000000000000000000000000000dEaD\",\"data\":\"0x70a08231\"},\"latest\"]")]
    [InlineData("eth_getBalance", "[\"0x000000000000000000000000000000000000dEaD\",\"latest\"]")]
    [InlineData("eth_getCode", "[\"0x000000000000000000000000000000000000dEaD\",\"latest\"]")]
    [InlineData("eth_getStorageAt", "[\"0x000000000000000000000000000000000000dEaD\",\"0x0\",\"latest\"]")]
    [InlineData("eth_getLogs", "[{\"fromBlock\":\"0x0\"}]")]
    [InlineData("eth_createAccessList", "[{\"to\":\"0x000000000000000000000000000000000000dEaD\"}]")]
    [InlineData("eth_getProof", "[\"0x000000000000000000000000000000000000dEaD\",[],\"latest\"]")]
    [InlineData("eth_sendRawTransactionSync", "[\"0x02\"]")]
    public async Task A_method_that_needs_state_says_it_needs_an_execution_node_and_what_to_set(string method, string parameters)
    {
        var (_, body) = await host.Rpc.PostAsync($"{{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"{method}\",\"params\":{parameters}}}");

        var error = JsonDocument.Parse(body).RootElement.GetProperty("error");
        Assert.Equal(-32601, error.GetProperty("code").GetInt32());
        var message = error.GetProperty("message").GetString()!;
        Assert.StartsWith($"the method {method} does not exist/is not available: ", message, StringComparison.Ordinal);
        Assert.Contains("needs an execution node", message, StringComparison.Ordinal);
        Assert.Contains("Sequencer:Execution:Kind", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_method_nobody_offers_still_gets_the_plain_method_not_found()
    {
        var (_, body) = await host.Rpc.PostAsync("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"eth_foo\",\"params\":[]}");

        var error = JsonDocument.Parse(body).RootElement.GetProperty("error");
        Assert.Equal(-32601, error.GetProperty("code").GetInt32());
        Assert.Equal("method not found: eth_foo", error.GetProperty("message").GetString());
    }
}
