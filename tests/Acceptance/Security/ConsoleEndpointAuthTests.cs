using System.Net;
using System.Text;
using System.Text.Json;
using Acceptance.Browser;

namespace Acceptance.Security;

/// <summary>The operator console's endpoints on the real host: refused without operator credentials, answered with them.</summary>
public sealed class ConsoleEndpointAuthTests : IAsyncLifetime
{
    private SequencerWithLogin _host = null!;

    public async Task InitializeAsync() => _host = await SequencerWithLogin.StartProductionAsync("--Sequencer:Console:SampleSeconds=1");

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Theory]
    [InlineData("GET", "/admin/api/history")]
    [InlineData("GET", "/admin/api/decisions")]
    [InlineData("GET", "/admin/api/decisions?refused=true")]
    [InlineData("POST", "/admin/api/policy/replay")]
    public async Task Without_operator_credentials_the_console_endpoints_answer_401_and_nothing_else(string method, string path)
    {
        using var http = new HttpClient();
        using var anonymous = await http.SendAsync(Request(method, path, key: null));
        using var wrongKey = await http.SendAsync(Request(method, path, key: "not-the-admin-key-0123456789-abcdefghij"));

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Contains("operator credentials required", await anonymous.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, wrongKey.StatusCode);
        Assert.DoesNotContain("samples", await wrongKey.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_the_admin_key_the_history_fills_with_samples_and_bad_replay_input_is_a_400_with_the_reason()
    {
        using var http = new HttpClient();

        await TestInfrastructure.Eventually.UntilAsync(async () =>
        {
            using var reply = await http.SendAsync(Request("GET", "/admin/api/history", SequencerWithLogin.AdminKey));
            using var body = JsonDocument.Parse(await reply.Content.ReadAsStringAsync());
            return reply.StatusCode == HttpStatusCode.OK && body.RootElement.GetProperty("samples").GetArrayLength() >= 2;
        }, TimeSpan.FromSeconds(60), "two history samples");
        using var history = await http.SendAsync(Request("GET", "/admin/api/history", SequencerWithLogin.AdminKey));
        using var historyBody = JsonDocument.Parse(await history.Content.ReadAsStringAsync());
        using var noPolicy = await http.SendAsync(Request("POST", "/admin/api/policy/replay", SequencerWithLogin.AdminKey, """{"count": 10}"""));
        using var badCount = await http.SendAsync(Request("GET", "/admin/api/decisions?count=0", SequencerWithLogin.AdminKey));

        Assert.Equal(1, historyBody.RootElement.GetProperty("sampleSeconds").GetInt32());
        Assert.Equal(3600, historyBody.RootElement.GetProperty("capacity").GetInt32());
        Assert.Equal("local", historyBody.RootElement.GetProperty("daBackend").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, noPolicy.StatusCode);
        Assert.Contains("policy is required", await noPolicy.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, badCount.StatusCode);
        Assert.Contains("count must be a number from 1 to 1000", await badCount.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private HttpRequestMessage Request(string method, string path, string? key, string body = "{}")
    {
        var request = new HttpRequestMessage(new HttpMethod(method), _host.Url(path));
        if (key is not null)
        {
            request.Headers.Add("X-Admin-Key", key);
        }

        if (method == "POST")
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        return request;
    }
}
