using Sequencer.Tests.Infrastructure;
using TestInfrastructure.Ethereum;
using TestInfrastructure.Identity;
using TestInfrastructure.Redis;

namespace Sequencer.Tests.Admission;

/// <summary>
/// Two sequencer hosts on one real redis-server: they share the limits; when Redis dies sponsored
/// requests fail closed while paid ones are still confirmed, and when it is back sponsored ones work
/// again without restarting anything. The Redis is this class's own, because the test kills it.
/// </summary>
public sealed class SharedRedisLimitTests : IAsyncLifetime
{
    private RedisServer _redis = null!;
    private AdmissionSequencerHost _first = null!;
    private AdmissionSequencerHost _second = null!;

    public async Task InitializeAsync()
    {
        _redis = await RedisServer.StartAsync();
        var settings = _redis.AdmissionSettings;
        _first = new AdmissionSequencerHost(settings);
        _second = new AdmissionSequencerHost(settings);
        await _first.InitializeAsync();
        await _second.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await _first.DisposeAsync();
        await _second.DisposeAsync();
        await _redis.DisposeAsync();
    }

    [Fact]
    public async Task BurstLimit_IsSharedByTwoSequencers()
    {
        var identity = HeaderIdentityAuthenticator.Value("dev", "shared-" + Guid.NewGuid().ToString("N"));

        var replies = new List<RpcResponse>();
        for (var i = 0; i < 3; i++)
        {
            replies.Add(await _first.SendSponsoredAsync(identity));
            replies.Add(await _second.SendSponsoredAsync(identity));
        }

        Assert.Equal(3, replies.Count(r => r.Error is null));
        Assert.All(replies.Where(r => r.Error is not null), r =>
        {
            Assert.Equal(-32005, r.ErrorCode);
            Assert.Equal("rate.burst", r.Error!.Value.GetProperty("data").GetProperty("reason").GetString());
        });
    }

    [Fact]
    public async Task RedisDown_SponsoredFailsClosed_PaidGoesOn_ThenSponsoredRecovers()
    {
        var identity = HeaderIdentityAuthenticator.Value("open", "outage");
        var wallet = TestWallet.FromSeed(7100, SequencerHostFixture.ChainId);
        Assert.Null((await _first.SendSponsoredAsync(identity)).Error);

        _redis.Kill();

        var down = await AdmissionSequencerHost.UntilAsync(() => _first.SendSponsoredAsync(identity), r => r.Error is not null);
        Assert.Equal(-32005, down.ErrorCode);
        var data = down.Error!.Value.GetProperty("data");
        Assert.Equal("limiter unavailable", data.GetProperty("reason").GetString());
        Assert.True(data.GetProperty("retryAfterMs").GetInt64() > 0);
        Assert.Equal(-32005, (await _second.SendSponsoredAsync(identity)).ErrorCode);

        // Paid transactions keep being confirmed (their per-sender limit is then kept by each replica).
        var paid = await _first.Rpc.CallAsync("sequencer_sendRawTransaction", wallet.Sign1559(wallet.TakeNonce()));
        Assert.Null(paid.Error);
        Assert.Equal(SequencerHostFixture.SequencerAddress, paid.Result.GetProperty("sequencer").GetString());

        await _redis.RestartAsync();

        var back = await AdmissionSequencerHost.UntilAsync(() => _first.SendSponsoredAsync(identity), r => r.Error is null);
        Assert.Null(back.Error);
        Assert.Null((await AdmissionSequencerHost.UntilAsync(() => _second.SendSponsoredAsync(identity), r => r.Error is null)).Error);
    }
}
