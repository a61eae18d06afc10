using System.Buffers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.IO;
using Sequencer.Rpc;

namespace Sequencer.Tests.Rpc;

/// <summary>
/// The write path reads a transaction's hex and the method name straight from the request's UTF-8 bytes (no string
/// per request); escaped text takes the string path. Both must give the same bytes, the same method and the same
/// errors as reading through strings did.
/// </summary>
public sealed class RawRequestBytesTests
{
    /// <summary>params JSON, expected decoded hex (lowercase, no 0x) or null, expected error fragment or null.</summary>
    public static TheoryData<string, string?, string?> DataCases => new()
    {
        { "[\"0x01ab\"]", "01ab", null },
        { "[\"0X01AB\"]", "01ab", null },
        { "[\"0x\"]", "", null },
        { "[\"\\u0030x01ab\"]", "01ab", null },
        { "[\"0x\\u0030\\u0031\"]", "01", null },
        { "[\"0x\\u00e9\"]", null, "transaction is not valid hex (odd length or a non-hex character)" },
        { "[\"0x012\"]", null, "transaction is not valid hex (odd length or a non-hex character)" },
        { "[\"0xzz\"]", null, "transaction is not valid hex (odd length or a non-hex character)" },
        { "[\"0x0 \"]", null, "transaction is not valid hex (odd length or a non-hex character)" },
        { "[\"0xé1\"]", null, "transaction is not valid hex (odd length or a non-hex character)" },
        { "[\"01ab\"]", null, "transaction must start with 0x" },
        { "[\"x\"]", null, "transaction must start with 0x" },
        { "[\"\"]", null, "transaction must start with 0x" },
        { "[\"\\u0078\"]", null, "transaction must start with 0x" },
        { "[123]", null, "transaction must be a hex string, got number 123" },
        { "[null]", null, "transaction must be a hex string, got null" },
        { "[]", null, "missing parameter 1 (transaction)" },
        { "{\"a\":1}", null, "params must be an array (positional)" },
    };

    [Theory]
    [MemberData(nameof(DataCases))]
    public void GetData_DecodesFromBytes_WithTheSameErrorsAsFromStrings(string parameters, string? hex, string? error)
    {
        using var document = JsonDocument.Parse(parameters);
        var result = new RpcParams(document.RootElement).GetData(0, "transaction", out var data);

        Assert.Equal(error is null ? null : "invalid params: " + error, result?.Message);
        if (hex is not null)
        {
            Assert.Equal(hex, Convert.ToHexStringLower(data));
        }
    }

    [Theory]
    [InlineData("eth_echo", "\"found\"")]
    [InlineData("eth\\u005fecho", "\"found\"")]
    [InlineData("eth_nope", "method not found: eth_nope")]
    [InlineData("eth\\u005fnope", "method not found: eth_nope")]
    [InlineData("", "method not found: ")]
    [InlineData("é_unknown", "method not found: é_unknown")]
    public async Task MethodName_FromBytes_FindsTheSameMethods(string method, string expected)
    {
        var reply = await ProcessAsync($"{{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"{method}\",\"params\":[]}}");

        var text = reply.TryGetProperty("result", out var result) ? result.GetRawText() : reply.GetProperty("error").GetProperty("message").GetString();
        Assert.Equal(expected, text);
    }

    [Fact]
    public async Task LongMethodName_TooLongForTheStack_IsStillLookedUpAndQuotedShort()
    {
        var name = "eth_" + new string('x', 300);

        var reply = await ProcessAsync($"{{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"{name}\",\"params\":[]}}");

        var error = reply.GetProperty("error");
        Assert.Equal(RpcErrorCodes.MethodNotFound, error.GetProperty("code").GetInt32());
        Assert.StartsWith("method not found: eth_xxx", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.True(error.GetProperty("message").GetString()!.Length < 100);
    }

    private static async Task<JsonElement> ProcessAsync(string body)
    {
        var processor = new JsonRpcProcessor(new RpcMethodTable([new EchoModule()]), 100, 1 << 20, NullLogger<JsonRpcProcessor>.Instance);
        using var output = new RecyclableMemoryStreamManager().GetStream();
        await processor.ProcessAsync(new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes(body)), output, new RpcTransport(null), CancellationToken.None);
        return JsonDocument.Parse(output.ToArray()).RootElement.Clone();
    }

    private sealed class EchoModule : IRpcModule
    {
        public void Register(RpcMethodTable table) => table.Add("eth_echo", _ => ValueTask.FromResult(RpcResult.String("found")));
    }
}
