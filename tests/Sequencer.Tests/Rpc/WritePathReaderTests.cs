using System.Text.Json;
using Sequencer.Rpc;
using static Sequencer.Tests.Rpc.WritePathRequests;

namespace Sequencer.Tests.Rpc;

/// <summary>
/// The transaction sends are read from the request's bytes with no document (issue 16); everything else takes the
/// document path. Whichever path a request takes, the reply is the same, byte for byte: each case is also sent with an
/// escaped extra member, which forces the document path, and the two replies are compared (the result only says which
/// path the params came by).
/// </summary>
public sealed class WritePathReaderTests
{
    private const string Send = """{"jsonrpc":"2.0","id":1,"method":"eth_sendRawTransaction","params":["0x01ab"]}""";

    /// <summary>Requests the reader takes: ids of every kind echoed as written, members in any order, other members skipped.</summary>
    public static TheoryData<string, string> FromBytes => new()
    {
        { Send, "1" },
        { Send.Replace("\"id\":1", "\"id\":\"a-b c\"", StringComparison.Ordinal), "\"a-b c\"" },
        { Send.Replace("\"id\":1", "\"id\":null", StringComparison.Ordinal), "null" },
        { Send.Replace("\"id\":1", "\"id\":1.50", StringComparison.Ordinal), "1.50" },
        { Send.Replace("\"id\":1", "\"id\":-0", StringComparison.Ordinal), "-0" },
        { Send.Replace("\"id\":1", "\"id\":1E+3", StringComparison.Ordinal), "1E+3" },
        { Send.Replace("\"id\":1", "\"id\":123456789012345678901234567890", StringComparison.Ordinal), "123456789012345678901234567890" },
        { Send.Replace("\"id\":1", "\"id\":\"\"", StringComparison.Ordinal), "\"\"" },
        { """{"params":["0x01ab"],"id":7,"method":"eth_sendRawTransaction","jsonrpc":"2.0"}""", "7" },
        { """ {"jsonrpc" : "2.0" , "id" : 7 , "method" : "eth_sendRawTransaction" , "params" : [ "0x01ab" ] } """, "7" },
        { """{"jsonrpc":"2.0","x":{"a":[[1,{"b":[]}],"s"]},"id":7,"y":[[]],"method":"eth_sendRawTransaction","z":true,"params":["0x01ab"]}""", "7" },
    };

    [Theory]
    [MemberData(nameof(FromBytes))]
    public async Task A_plain_send_is_read_from_bytes_and_answered_as_the_document_path_answers_it(string body, string id)
    {
        var reply = await ReplyAsync(body);

        Assert.Equal($$"""{"jsonrpc":"2.0","id":{{id}},"result":"bytes:01ab"}""", reply);
        Assert.Equal(reply.Replace("bytes:", "document:", StringComparison.Ordinal), await ReplyAsync(ThroughDocument(body)));
    }

    /// <summary>Requests the reader leaves to the document path: the reply is the document path's, error and all.</summary>
    public static TheoryData<string, string> ToDocument => new()
    {
        { "duplicate params", """{"jsonrpc":"2.0","id":1,"method":"eth_sendRawTransaction","params":["0x01"],"params":["0x02"]}""" },
        { "duplicate id", """{"jsonrpc":"2.0","id":1,"id":"two","method":"eth_sendRawTransaction","params":["0x01"]}""" },
        { "duplicate method", """{"jsonrpc":"2.0","id":1,"method":"eth_chainId","method":"eth_sendRawTransaction","params":["0x01"]}""" },
        { "no params", """{"jsonrpc":"2.0","id":1,"method":"eth_sendRawTransaction"}""" },
        { "empty params", """{"jsonrpc":"2.0","id":1,"method":"eth_sendRawTransaction","params":[]}""" },
        { "two params", """{"jsonrpc":"2.0","id":1,"method":"eth_sendRawTransaction","params":["0x01","0x02"]}""" },
        { "a number", """{"jsonrpc":"2.0","id":1,"method":"eth_sendRawTransaction","params":[123]}""" },
        { "null", """{"jsonrpc":"2.0","id":1,"method":"eth_sendRawTransaction","params":[null]}""" },
        { "nested array", """{"jsonrpc":"2.0","id":1,"method":"eth_sendRawTransaction","params":[["0x01"]]}""" },
        { "params object", """{"jsonrpc":"2.0","id":1,"method":"eth_sendRawTransaction","params":{"tx":"0x01"}}""" },
        { "params string", """{"jsonrpc":"2.0","id":1,"method":"eth_sendRawTransaction","params":"0x01"}""" },
        { "no 0x", """{"jsonrpc":"2.0","id":1,"method":"eth_sendRawTransaction","params":["01ab"]}""" },
        { "odd hex", """{"jsonrpc":"2.0","id":1,"method":"eth_sendRawTransaction","params":["0x012"]}""" },
        { "not hex", """{"jsonrpc":"2.0","id":1,"method":"eth_sendRawTransaction","params":["0xzz"]}""" },
        { "id an object", """{"jsonrpc":"2.0","id":{},"method":"eth_sendRawTransaction","params":["0x01"]}""" },
        { "id true", """{"jsonrpc":"2.0","id":true,"method":"eth_sendRawTransaction","params":["0x01"]}""" },
        { "jsonrpc 1.0", """{"jsonrpc":"1.0","id":1,"method":"eth_sendRawTransaction","params":["0x01"]}""" },
        { "jsonrpc a number", """{"jsonrpc":2.0,"id":1,"method":"eth_sendRawTransaction","params":["0x01"]}""" },
        { "no jsonrpc", """{"id":1,"method":"eth_sendRawTransaction","params":["0x01"]}""" },
        { "method a number", """{"jsonrpc":"2.0","id":1,"method":7,"params":["0x01"]}""" },
        { "another method", """{"jsonrpc":"2.0","id":1,"method":"eth_chainId","params":["0x01"]}""" },
        { "unknown method", """{"jsonrpc":"2.0","id":1,"method":"eth_sendRawTransactions","params":["0x01"]}""" },
        { "notification", """{"jsonrpc":"2.0","method":"eth_sendRawTransaction","params":["0x01"]}""" },
        { "batch of a send and another method", "[" + Send + """,{"jsonrpc":"2.0","id":2,"method":"eth_chainId"}]""" },
        { "batch with a scalar", "[" + Send + ",1]" },
    };

    [Theory]
    [MemberData(nameof(ToDocument))]
    public async Task Anything_else_gets_the_document_paths_reply(string name, string body)
    {
        var reply = await ReplyAsync(body);

        Assert.DoesNotContain("bytes:", reply, StringComparison.Ordinal);
        Assert.True(reply == await ReplyAsync(ThroughDocument(body)), $"{name}: {reply}");
    }

    [Theory]
    // Today's wording for content after the value (the parser's "Expected end of data" reads as the end of input).
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":"eth_sendRawTransaction","params":["0x01"]}x""", "parse error: unexpected end of input at line 1")]
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":"eth_sendRawTransaction","params":["0x01"]}{}""", "parse error: unexpected end of input at line 1")]
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":"eth_sendRawTransaction","params":["0x01"],}""", "parse error: invalid JSON at line 1")]
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":"eth_sendRawTransaction","params":["0x01"]""", "unexpected end of input")]
    [InlineData("""[{"jsonrpc":"2.0","id":1,"method":"eth_sendRawTransaction","params":["0x01"]},]""", "parse error: invalid JSON at line 1")]
    [InlineData("", "parse error")]
    public async Task Malformed_json_around_a_plain_send_is_a_parse_error_as_before(string body, string message)
    {
        var reply = JsonDocument.Parse(await ReplyAsync(body)).RootElement;

        var error = reply.GetProperty("error");
        Assert.Equal(RpcErrorCodes.ParseError, error.GetProperty("code").GetInt32());
        Assert.Contains(message, error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Null, reply.GetProperty("id").ValueKind);
    }

    /// <summary>
    /// The reader's own parse error is answered without a second parse, so it must be the document parser's message,
    /// position and all, for malformed input met at any point of a write request or around it.
    /// </summary>
    [Theory]
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":"eth_sendRawTransaction","params":["0x01"]}x""")]
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":"eth_sendRawTransaction","params":["0x01"],}""")]
    [InlineData("""{"jsonrpc":"2.0","id":01,"method":"eth_sendRawTransaction","params":["0x01"]}""")]
    [InlineData("""{"jsonrpc":"2.0","id":1,"x":[1,,2],"method":"eth_sendRawTransaction","params":["0x01"]}""")]
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":"eth_sendRawTransaction","params":["0x01" "0x02"]}""")]
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":"eth_sendRawTransaction","params":["0x01""")]
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":"eth_sendRawTransaction","params":["0x01]}""")]
    [InlineData("""[{"jsonrpc":"2.0","id":1,"method":"eth_sendRawTransaction","params":["0x01"]},{"jsonrpc":"2.0" "id":2}]""")]
    [InlineData("[{\"jsonrpc\":\"2.0\",\n\"id\":1,\n\"method\":tru]")]
    [InlineData("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"eth_sendRawTransaction\",\"params\":[\"0x01\t\"]}")]
    [InlineData("  ")]
    [InlineData("nul")]
    public async Task A_parse_error_met_by_the_reader_is_the_document_parsers_message(string body)
    {
        var expected = Assert.ThrowsAny<JsonException>(() => JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 64 }));

        var error = JsonDocument.Parse(await ReplyAsync(body)).RootElement.GetProperty("error");

        Assert.Equal(ParseErrorText.Of(expected), error.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Nesting_past_the_depth_limit_in_an_extra_member_is_a_parse_error_as_before()
    {
        var deep = new string('[', 70) + new string(']', 70);
        var body = Send.Replace("\"id\":1", "\"id\":1,\"x\":" + deep, StringComparison.Ordinal);

        var reply = await ReplyAsync(body);

        Assert.Contains("\"code\":-32700", reply, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":"eth_send\u0052awTransaction","params":["0x01ab"]}""")]
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":"eth_sendRawTransaction","params":["\u0030x01ab"]}""")]
    [InlineData("""{"jsonrpc":"2.0","id":"\u0031","method":"eth_sendRawTransaction","params":["0x01ab"]}""")]
    [InlineData("""{"jsonrpc":"2.0","id":"é","method":"eth_sendRawTransaction","params":["0x01ab"]}""")]
    public async Task Escapes_or_non_ascii_text_take_the_document_path_and_still_send(string body)
    {
        Assert.Contains("\"result\":\"document:01ab\"", await ReplyAsync(body), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_batch_of_sends_is_read_from_bytes_with_each_id_echoed_and_notifications_unanswered()
    {
        var body = """[{"jsonrpc":"2.0","id":"a","method":"eth_sendRawTransaction","params":["0x01"]},""" +
                   """{"jsonrpc":"2.0","method":"eth_sendRawTransaction","params":["0x02"]},""" +
                   """{"params":["0x03"],"method":"eth_sendRawTransaction","jsonrpc":"2.0","id":3.0}]""";

        var reply = await ReplyAsync(body);

        Assert.Equal("""[{"jsonrpc":"2.0","id":"a","result":"bytes:01"},{"jsonrpc":"2.0","id":3.0,"result":"bytes:03"}]""", reply);
        Assert.Equal(reply.Replace("bytes:", "document:", StringComparison.Ordinal), await ReplyAsync(ThroughDocument(body)));
    }

    [Fact]
    public async Task A_batch_of_only_notifications_gets_no_reply()
    {
        Assert.Equal("", await ReplyAsync("""[{"jsonrpc":"2.0","method":"eth_sendRawTransaction","params":["0x02"]}]"""));
    }

    [Theory]
    [InlineData(3, "bytes:")]
    [InlineData(2, "batch of 3 requests exceeds the limit of 2")]
    public async Task A_batch_past_the_limit_gets_the_limits_error(int limit, string expected)
    {
        var body = "[" + string.Join(',', Enumerable.Repeat(Send, 3)) + "]";

        Assert.Contains(expected, await ReplyAsync(body, limit), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_batch_longer_than_the_readers_first_array_is_answered_in_order()
    {
        var body = "[" + string.Join(',', Enumerable.Range(0, 40).Select(i => Send.Replace("\"id\":1", $"\"id\":{i}", StringComparison.Ordinal))) + "]";

        var replies = JsonDocument.Parse(await ReplyAsync(body)).RootElement;

        Assert.Equal(40, replies.GetArrayLength());
        for (var i = 0; i < 40; i++)
        {
            Assert.Equal(i, replies[i].GetProperty("id").GetInt32());
            Assert.Equal("bytes:01ab", replies[i].GetProperty("result").GetString());
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(64)]
    public async Task A_body_in_several_pipe_segments_is_read_from_bytes_the_same(int segment)
    {
        Assert.Equal("""{"jsonrpc":"2.0","id":1,"result":"bytes:01ab"}""", await ReplyAsync(InSegments(Send, segment)));
    }

    [Fact]
    public void Params_handed_over_as_bytes_refuse_reads_that_need_a_document()
    {
        var parameters = RpcParams.OneString("0x01"u8.ToArray());

        Assert.Equal(1, parameters.Count);
        Assert.Null(parameters.ExpectAtMost(1));
        Assert.Equal("invalid params: missing parameter 2 (second)", parameters.GetData(1, "second", out _)?.Message);
        Assert.Throws<InvalidOperationException>(() => parameters.Raw);
        Assert.Throws<InvalidOperationException>(() => parameters.GetHash(0, "hash", out _));
    }

    [Fact]
    public void A_replaced_method_gets_its_params_as_a_document()
    {
        var table = new RpcMethodTable([new ReplacingModule()]);

        Assert.True(table.TryGet("eth_sendRawTransaction", out _));
        Assert.False(table.TryGetOneString("eth_sendRawTransaction", out _));
    }

    private sealed class ReplacingModule : IRpcModule
    {
        public void Register(RpcMethodTable table)
        {
            table.Add("eth_sendRawTransaction", _ => ValueTask.FromResult(RpcResult.Null), RpcParamsShape.OneString);
            table.Replace("eth_sendRawTransaction", replaced => replaced);
        }
    }
}
