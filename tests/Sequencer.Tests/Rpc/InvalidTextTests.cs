using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Unicode;
using System.Text.Json;
using Sequencer.Tests.Infrastructure;
using TestInfrastructure.Ethereum;

namespace Sequencer.Tests.Rpc;

/// <summary>
/// JSON that parses but whose strings are not Unicode text: invalid UTF-8 bytes, or a \u escape that
/// leaves a surrogate unpaired. In any member of any request it gets a JSON-RPC error naming the
/// member, over HTTP (never HTTP 500) and over WebSocket (the connection stays open and keeps answering).
/// </summary>
public sealed class InvalidTextTests(SequencerHostFixture host) : IClassFixture<SequencerHostFixture>
{
    private const string Hash = "0x1111111111111111111111111111111111111111111111111111111111111111";

    /// <summary>name, body, expected code, fragment of the message, whether the reply's id is null.</summary>
    public static TheoryData<string, byte[], int, string, bool> Cases => new()
    {
        { "lone high surrogate in method", Ascii("""{"jsonrpc":"2.0","id":1,"method":"\ud800"}"""), -32600, "\"method\" is not valid text", false },
        { "lone low surrogate in method", Ascii("""{"jsonrpc":"2.0","id":1,"method":"eth_\udc00chainId"}"""), -32600, "\"method\" is not valid text", false },
        { "invalid UTF-8 in method", Bytes("""{"jsonrpc":"2.0","id":1,"method":"eth_""", [0xff], """chainId"}"""), -32600, "\"method\" is not valid text", false },
        { "encoded surrogate in method", Bytes("""{"jsonrpc":"2.0","id":1,"method":"a""", [0xed, 0xa0, 0x80], "\"}"), -32600, "\"method\" is not valid text", false },
        { "lone surrogate in jsonrpc", Ascii("""{"jsonrpc":"2.0\ud800","id":1,"method":"eth_chainId"}"""), -32600, "\"jsonrpc\" is not valid text", false },
        { "lone surrogate in id", Ascii("""{"jsonrpc":"2.0","id":"\ud800","method":"eth_chainId"}"""), -32600, "\"id\" is not valid text", true },
        { "invalid UTF-8 in an extra member's name", Bytes("""{"jsonrpc":"2.0","id":1,"method":"eth_chainId","x""", [0xc0, 0x80], "\":1}"), -32600, "is not valid text", false },
        { "lone surrogate in a parameter", Ascii("""{"jsonrpc":"2.0","id":1,"method":"eth_getTransactionByHash","params":["\ud800"]}"""), -32602, "params[0] is not valid text", false },
        { "invalid UTF-8 in a parameter", Bytes("""{"jsonrpc":"2.0","id":1,"method":"eth_sendRawTransaction","params":["0x""", [0xfe], "\"]}"), -32602, "params[0] is not valid text", false },
        { "lone surrogate deep in a parameter object", Ascii("""{"jsonrpc":"2.0","id":1,"method":"sequencer_sendSponsoredTransaction","params":[{"to":"0x00","data":["\udbff"]}]}"""), -32602, "params[0].data[0] is not valid text", false },
        { "invalid UTF-8 in a parameter's member name", Bytes("""{"jsonrpc":"2.0","id":1,"method":"sequencer_sendSponsoredTransaction","params":[{"t""", [0x80], """o":"0x00"}]}"""), -32602, "params[0] is not valid text", false },
        { "high surrogate followed by text", Ascii("""{"jsonrpc":"2.0","id":1,"method":"eth_getBlockByNumber","params":["\ud83dx",false]}"""), -32602, "params[0] is not valid text", false },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Over_http_invalid_text_gets_a_json_rpc_error_not_http_500(string name, byte[] body, int code, string message, bool nullId)
    {
        var (status, responseBody) = await host.Rpc.PostAsync(body);

        Assert.True(status == HttpStatusCode.OK, $"{name}: HTTP {(int)status}: {Shorten(responseBody)}");
        AssertError(name, JsonDocument.Parse(responseBody).RootElement, code, message, nullId);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Over_websocket_invalid_text_gets_a_json_rpc_error_and_the_connection_stays_open(string name, byte[] body, int code, string message, bool nullId)
    {
        using var socket = await RpcWebSocket.ConnectAsync(host.WebSocketUrl);

        // A text frame must be UTF-8 (RFC 6455; see the test below); JSON-RPC also comes in binary frames.
        await socket.SendAsync(body, Utf8.IsValid(body) ? WebSocketMessageType.Text : WebSocketMessageType.Binary);
        AssertError(name, await socket.ReceiveAsync(), code, message, nullId);

        var next = await socket.CallAsync(2, "eth_chainId");
        Assert.Equal("0x" + SequencerHostFixture.ChainId.ToString("x"), next.GetProperty("result").GetString());
    }

    [Fact]
    public async Task A_text_frame_that_is_not_utf8_closes_the_socket_with_1007_as_the_websocket_protocol_requires()
    {
        using var socket = await RpcWebSocket.ConnectAsync(host.WebSocketUrl);

        await socket.SendAsync(Bytes("""{"jsonrpc":"2.0","id":1,"method":"eth_""", [0xff], """chainId"}"""));
        var end = await socket.DrainUntilClosedAsync();

        Assert.True(end.Status == WebSocketCloseStatus.InvalidPayloadData, end.ToString());
    }

    [Fact]
    public async Task In_a_batch_only_the_request_with_invalid_text_fails()
    {
        var body = Ascii("""[{"jsonrpc":"2.0","id":1,"method":"eth_chainId"},{"jsonrpc":"2.0","id":2,"method":"\ud800"},{"jsonrpc":"2.0","id":3,"method":"eth_getTransactionByHash","params":["HASH"]}]""".Replace("HASH", Hash));

        var (status, responseBody) = await host.Rpc.PostAsync(body);

        Assert.Equal(HttpStatusCode.OK, status);
        var replies = JsonDocument.Parse(responseBody).RootElement;
        Assert.Equal(3, replies.GetArrayLength());
        Assert.True(replies[0].TryGetProperty("result", out _));
        Assert.Equal(-32600, replies[1].GetProperty("error").GetProperty("code").GetInt32());
        Assert.Equal(2, replies[1].GetProperty("id").GetInt32());
        Assert.Equal(JsonValueKind.Null, replies[2].GetProperty("result").ValueKind);
    }

    [Fact]
    public async Task A_long_unknown_method_name_is_shortened_without_splitting_a_character()
    {
        // The 😀 (a surrogate pair) straddles the point where the quoted name is cut for the message.
        var name = new string('m', 60) + "😀" + new string('n', 10);
        var body = Encoding.UTF8.GetBytes($$"""{"jsonrpc":"2.0","id":1,"method":"{{name}}"}""");

        var (status, responseBody) = await host.Rpc.PostAsync(body);

        Assert.True(status == HttpStatusCode.OK, $"HTTP {(int)status}: {Shorten(responseBody)}");
        var error = JsonDocument.Parse(responseBody).RootElement.GetProperty("error");
        Assert.Equal(-32601, error.GetProperty("code").GetInt32());
        Assert.StartsWith("method not found: mmmm", error.GetProperty("message").GetString());
    }

    private static void AssertError(string name, JsonElement reply, int code, string message, bool nullId)
    {
        Assert.True(reply.TryGetProperty("error", out var error), $"{name}: {reply.GetRawText()}");
        Assert.True(error.GetProperty("code").GetInt32() == code, $"{name}: {error.GetRawText()}");
        Assert.Contains(message, error.GetProperty("message").GetString());
        Assert.Equal(nullId ? JsonValueKind.Null : JsonValueKind.Number, reply.GetProperty("id").ValueKind);
    }

    private static byte[] Ascii(string text) => Encoding.ASCII.GetBytes(text);

    private static byte[] Bytes(string before, byte[] raw, string after) => [.. Ascii(before), .. raw, .. Ascii(after)];

    private static string Shorten(string text) => text.Length < 300 ? text : text[..300];
}
