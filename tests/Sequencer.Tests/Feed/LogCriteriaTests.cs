using System.Text.Json;
using Sequencer.Feed;

namespace Sequencer.Tests.Feed;

/// <summary>eth_subscribe("logs") options read and matched as geth does.</summary>
public sealed class LogCriteriaTests
{
    private const string Token = "0x5fbdb2315678afecb367f032d93f642f64180aa3";
    private const string Transfer = "0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef";
    private const string Dead = "0x000000000000000000000000000000000000000000000000000000000000dead";

    private static readonly JsonElement Log = JsonDocument.Parse(
        $"{{\"address\":\"{Token}\",\"topics\":[\"{Transfer}\",\"0x{new string('0', 64)}\",\"{Dead}\"],\"data\":\"0x\"}}").RootElement;

    [Theory]
    [InlineData("{}", true)]
    [InlineData("{\"address\":\"0x5FbDB2315678afecb367f032d93F642f64180aa3\"}", true)]
    [InlineData("{\"address\":[\"0x0000000000000000000000000000000000000001\",\"0x5fbdb2315678afecb367f032d93f642f64180aa3\"]}", true)]
    [InlineData("{\"address\":\"0x0000000000000000000000000000000000000001\"}", false)]
    [InlineData("{\"topics\":[\"" + Transfer + "\"]}", true)]
    [InlineData("{\"topics\":[null,null,\"" + Dead + "\"]}", true)]
    [InlineData("{\"topics\":[null,null,[\"" + Transfer + "\",\"" + Dead + "\"]]}", true)]
    [InlineData("{\"topics\":[null,\"" + Dead + "\"]}", false)]
    [InlineData("{\"topics\":[null,null,null,null]}", false)]
    public void A_log_matches_when_its_address_and_every_given_topic_position_match(string options, bool matches)
    {
        Assert.Null(LogCriteria.TryParse(JsonDocument.Parse(options).RootElement, out var criteria));

        Assert.Equal(matches, criteria.Matches(Log));
    }

    [Theory]
    [InlineData("[]", "must be an object")]
    [InlineData("{\"address\":\"0x12\"}", "address must be 0x-hex of 20 bytes")]
    [InlineData("{\"topics\":\"" + Transfer + "\"}", "topics must be an array of at most 4 positions")]
    [InlineData("{\"topics\":[1]}", "topic must be 0x-hex of 32 bytes")]
    public void Bad_options_get_a_specific_error(string options, string expected)
    {
        var error = LogCriteria.TryParse(JsonDocument.Parse(options).RootElement, out _);

        Assert.NotNull(error);
        Assert.Equal(-32602, error.Code);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }
}
