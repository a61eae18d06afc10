using System.Net.Http.Json;
using System.Text.Json;
using StackExchange.Redis;
using TestInfrastructure.Anvil;
using TestInfrastructure.Redis;

namespace Acceptance.RealParts;

/// <summary>The real external parts start, answer, and come back after a crash.</summary>
public sealed class RealPartsSmokeTests
{
    [Fact]
    public async Task Redis_server_answers_and_comes_back_after_a_kill()
    {
        await using var redis = await RedisServer.StartAsync();
        await using (var connection = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString))
        {
            Assert.True(await connection.GetDatabase().StringSetAsync("k", "v"));
        }

        redis.Kill();
        Assert.False(redis.IsRunning);
        await redis.RestartAsync();
        await using var again = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString);
        Assert.True(await again.GetDatabase().PingAsync() >= TimeSpan.Zero);
    }

    [Fact]
    public async Task Anvil_keeps_its_chain_across_a_graceful_restart()
    {
        await using var anvil = await AnvilNode.StartAsync(chainId: 31337);
        using var http = new HttpClient();
        Assert.Equal(31337UL, Convert.ToUInt64(await CallAsync(http, anvil.RpcUrl, "eth_chainId"), 16));
        await CallAsync(http, anvil.RpcUrl, "evm_mine");
        await CallAsync(http, anvil.RpcUrl, "evm_mine");
        await anvil.StopAsync();
        await anvil.RestartAsync();
        Assert.Equal(2UL, Convert.ToUInt64(await CallAsync(http, anvil.RpcUrl, "eth_blockNumber"), 16));
    }

    private static async Task<string> CallAsync(HttpClient http, string url, string method)
    {
        using var response = await http.PostAsJsonAsync(url, new { jsonrpc = "2.0", id = 1, method, @params = Array.Empty<object>() });
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return document.RootElement.GetProperty("result").ToString();
    }
}
