using System.Diagnostics;
using Sequencer.Tests.Infrastructure;
using StackExchange.Redis;
using TestInfrastructure.Ethereum;
using TestInfrastructure.Identity;
using TestInfrastructure.Redis;
using Xunit.Abstractions;

namespace Sequencer.Tests.Admission;

/// <summary>
/// A Redis that answers with errors (out of memory) or not at all (SIGSTOP: sockets open, no replies) is
/// as unavailable as a dead one: paid transactions keep being confirmed, without waiting on Redis each
/// time, and sponsored ones fail closed with -32005 "limiter unavailable". The Redis and host are this
/// class's own, because the tests break the Redis.
/// </summary>
public sealed class RedisFailureTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int PaidBurst = 20;

    private RedisServer _redis = null!;
    private AdmissionSequencerHost _host = null!;

    public async Task InitializeAsync()
    {
        _redis = await RedisServer.StartAsync();
        // The client's own timeouts are left at their defaults (5 s), as an operator would leave them.
        _host = new AdmissionSequencerHost("--Admission:Store=Redis", $"--Admission:RedisConfiguration=127.0.0.1:{_redis.Port},abortConnect=false");
        await _host.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        _redis.Resume();
        await _host.DisposeAsync();
        await _redis.DisposeAsync();
    }

    [Fact]
    public async Task RedisOutOfMemory_PaidIsConfirmed_SponsoredFailsClosed_ThenRecovers()
    {
        var identity = HeaderIdentityAuthenticator.Value("open", "oom-" + Guid.NewGuid().ToString("N"));
        await SponsoredWorksAsync(identity);
        await using var admin = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{_redis.Port},allowAdmin=true");

        await admin.GetDatabase().ExecuteAsync("CONFIG", "SET", "maxmemory", "1");
        try
        {
            await SendPaidBurstAsync(firstSeed: 7300);
            AssertLimiterUnavailable(await _host.SendSponsoredAsync(identity));
        }
        finally
        {
            await admin.GetDatabase().ExecuteAsync("CONFIG", "SET", "maxmemory", "0");
        }

        await SponsoredWorksAsync(identity);
    }

    [Fact]
    public async Task RedisStopped_PaidBurstIsConfirmedWithoutWaitingOnRedis_SponsoredFailsClosed_ThenRecovers()
    {
        var identity = HeaderIdentityAuthenticator.Value("open", "sigstop-" + Guid.NewGuid().ToString("N"));
        await SponsoredWorksAsync(identity);

        _redis.Pause();
        // Generous for 20 transactions, and less than the client's 5 s timeout on each of the first few: without
        // a short limiter timeout and a breaker, this burst measured 23.1 s (5.8 s to 6 s for each of the first three).
        await SendPaidBurstAsync(firstSeed: 7400).WaitAsync(TimeSpan.FromSeconds(10));
        AssertLimiterUnavailable(await _host.SendSponsoredAsync(identity).WaitAsync(TimeSpan.FromSeconds(30)));

        _redis.Resume();
        await SponsoredWorksAsync(identity);
    }

    // Before the fault (the host's first calls may be slow on a busy machine) and after it (once the breaker
    // lets a probe through): sponsored transactions pass the shared limiter.
    private async Task SponsoredWorksAsync(string identity) =>
        Assert.Null((await AdmissionSequencerHost.UntilAsync(() => _host.SendSponsoredAsync(identity), r => r.Error is null)).Error);

    // One transaction from each of PaidBurst new senders (the test policy allows each sender 2 per hour).
    private async Task SendPaidBurstAsync(int firstSeed)
    {
        for (var i = 0; i < PaidBurst; i++)
        {
            var wallet = TestWallet.FromSeed(firstSeed + i, SequencerHostFixture.ChainId);
            var started = Stopwatch.GetTimestamp();
            var paid = await _host.Rpc.CallAsync("sequencer_sendRawTransaction", wallet.Sign1559(wallet.TakeNonce()));
            output.WriteLine($"paid {i}: {Stopwatch.GetElapsedTime(started).TotalMilliseconds:F0} ms");
            Assert.True(paid.Error is null, $"paid transaction {i} was refused: {paid.Error?.GetRawText()}");
            Assert.Equal(SequencerHostFixture.SequencerAddress, paid.Result.GetProperty("sequencer").GetString());
        }
    }

    private static void AssertLimiterUnavailable(RpcResponse reply)
    {
        Assert.Equal(-32005, reply.ErrorCode);
        var data = reply.Error!.Value.GetProperty("data");
        Assert.Equal("limiter unavailable", data.GetProperty("reason").GetString());
        Assert.True(data.GetProperty("retryAfterMs").GetInt64() > 0);
    }
}
