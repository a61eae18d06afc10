using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Sequencer.Sequencing;
using Sequencer.Tests.Infrastructure;
using TestInfrastructure;
using TestInfrastructure.Ethereum;
using TestInfrastructure.Identity;

namespace Sequencer.Tests.Submission;

/// <summary>
/// The sponsored lane hands out an identity account's nonces in the core's order without waiting for fsyncs:
/// concurrent requests of one identity are all queued and sequenced while an earlier one still waits to be durable,
/// and the nonces they get are gapless and in sequence order.
/// </summary>
public sealed class SponsoredSubmitterTests(SponsoredSubmitterTests.Host host) : IClassFixture<SponsoredSubmitterTests.Host>
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task ASecondRequestOfOneIdentity_IsSequenced_WhileTheFirstWaitsForItsFsync()
    {
        var identity = HeaderIdentityAuthenticator.Value("open", "patient");
        host.Durability.Hold();
        try
        {
            var first = host.SendSponsoredAsync(identity);
            await UntilNonceAsync(identity, 1);
            var second = host.SendSponsoredAsync(identity);

            await UntilNonceAsync(identity, 2);
            Assert.False(first.IsCompleted, "the first request was answered before it was durable");
            Assert.False(second.IsCompleted, "the second request was answered before it was durable");

            host.Durability.Release();
            var replies = await Task.WhenAll(first, second);
            Assert.All(replies, r => Assert.Null(r.Error));
            Assert.Equal([0UL, 1UL], replies.Select(NonceOf));
        }
        finally
        {
            host.Durability.Release();
        }
    }

    [Fact]
    public async Task ConcurrentRequests_AllQueuedBeforeAnyIsDurable_GetGaplessNoncesInSequenceOrder()
    {
        const int perIdentity = 16;
        var identities = Enumerable.Range(0, 4).Select(i => HeaderIdentityAuthenticator.Value("open", "crowd" + i)).ToArray();
        host.Durability.Hold();
        Task<RpcResponse>[] sent;
        try
        {
            sent = identities.SelectMany(identity => Enumerable.Range(0, perIdentity).Select(_ => host.SendSponsoredAsync(identity))).ToArray();
            foreach (var identity in identities)
            {
                await UntilNonceAsync(identity, perIdentity);
            }

            Assert.DoesNotContain(sent, reply => reply.IsCompleted);
        }
        finally
        {
            host.Durability.Release();
        }

        var replies = await Task.WhenAll(sent);
        Assert.All(replies, r => Assert.Null(r.Error));
        foreach (var group in replies.GroupBy(r => r.Result.GetProperty("from").GetString()))
        {
            var inSequenceOrder = group.OrderBy(r => Quantity(r.Result.GetProperty("sequence"))).Select(NonceOf).ToList();
            Assert.Equal(Enumerable.Range(0, perIdentity).Select(i => (ulong)i), inSequenceOrder);
        }

        Assert.Equal(identities.Length, replies.Select(r => r.Result.GetProperty("from").GetString()).Distinct().Count());
        foreach (var reply in replies)
        {
            var tx = await host.Rpc.ResultAsync("eth_getTransactionByHash", reply.Result.GetProperty("txHash").GetString());
            Assert.Equal(reply.Result.GetProperty("nonce").GetString(), tx.GetProperty("nonce").GetString());
            Assert.Equal(reply.Result.GetProperty("from").GetString(), tx.GetProperty("from").GetString());
        }
    }

    [Fact]
    public async Task RequestsRefusedBeforeTheQueue_TakeNoNonce()
    {
        var identity = HeaderIdentityAuthenticator.Value("open", "mixed");
        var tooMuchData = "0x" + string.Concat(Enumerable.Repeat("ff", 100)); // intrinsic gas 22,600 > 21,000

        var sent = Enumerable.Range(0, 16)
            .Select(i => i % 2 == 0 ? host.SendSponsoredAsync(identity) : host.SendSponsoredAsync(identity, data: tooMuchData, gas: "0x5208"))
            .ToArray();
        var replies = await Task.WhenAll(sent);

        var refused = replies.Where((_, i) => i % 2 == 1).ToList();
        Assert.All(refused, r => Assert.Equal(-32000, r.ErrorCode));
        Assert.All(refused, r => Assert.Contains("intrinsic gas too low", r.ErrorMessage, StringComparison.Ordinal));
        var confirmed = replies.Where((_, i) => i % 2 == 0).ToList();
        Assert.All(confirmed, r => Assert.Null(r.Error));
        Assert.Equal(Enumerable.Range(0, 8).Select(i => (ulong)i), confirmed.Select(NonceOf).Order());
        Assert.Equal("0x8", (await host.CallAsAsync(identity, "sequencer_getIdentity")).Result.GetProperty("nonce").GetString());
    }

    private Task UntilNonceAsync(string identity, int nonce) =>
        Eventually.UntilAsync(
            () => host.CallAsAsync(identity, "sequencer_getIdentity"),
            reply => reply.Error is null && Quantity(reply.Result.GetProperty("nonce")) == (ulong)nonce,
            Bound,
            reply => $"{identity}'s next nonce is {(reply.Error is null ? reply.Result.GetProperty("nonce").GetString() : reply.ErrorMessage)}, expected {nonce}");

    private static ulong NonceOf(RpcResponse reply) => Quantity(reply.Result.GetProperty("nonce"));

    private static ulong Quantity(System.Text.Json.JsonElement hex) => ulong.Parse(hex.GetString()![2..], NumberStyles.HexNumber, CultureInfo.InvariantCulture);

    /// <summary>The admission host with a <see cref="DurabilityGate"/>, and blocks sealed by gas only, so no block seal depends on the held fsync.</summary>
    public sealed class Host() : AdmissionSequencerHost("--Sequencer:BlockTimeMs=60000")
    {
        internal DurabilityGate Durability { get; } = new();

        protected override void ConfigureServices(IServiceCollection services)
        {
            base.ConfigureServices(services);
            services.AddSingleton<IChainObserver>(Durability);
        }
    }
}
