using System.Net.Http.Json;
using DaClient.Proxy;
using DaClient.Tests.Fakes;
using TestInfrastructure;

namespace DaClient.Tests.Proxy;

public sealed class EigenDaProxyClientTests : IAsyncLifetime
{
    private FakeEigenDaProxy _proxy = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _proxy = await FakeEigenDaProxy.StartAsync();
        _http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _proxy.DisposeAsync();
    }

    private EigenDaProxyClient Client(ProxyCommitmentMode mode = ProxyCommitmentMode.Standard, int maxRetries = 3, int timeoutMs = 10_000) =>
        new(_http, new ProxyDaOptions
        {
            BaseUrl = _proxy.BaseUrl.ToString(),
            CommitmentMode = mode,
            MaxRetries = maxRetries,
            RetryBaseDelayMs = 1,
            RetryMaxDelayMs = 4,
            RequestTimeoutMs = timeoutMs,
        });

    private static byte[] Batch(int length, int seed = 1)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    [Theory]
    [InlineData(ProxyCommitmentMode.Standard)]
    [InlineData(ProxyCommitmentMode.OptimismGeneric)]
    public async Task Put_then_get_returns_the_same_bytes_in_each_commitment_mode(ProxyCommitmentMode mode)
    {
        var client = Client(mode);
        var batch = Batch(100_000);

        var commitment = await client.PutAsync(batch, CancellationToken.None);
        var read = await client.GetAsync(DaCommitment.Parse(commitment.ToBytes()), CancellationToken.None);

        Assert.Equal(DaCommitmentKind.EigenDaProxy, commitment.Kind);
        Assert.Equal(batch, read.ToArray());
        Assert.Equal(1, client.Stats.Puts);
        Assert.Equal(batch.Length, client.Stats.BytesPut);
        Assert.Equal(1, client.Stats.Gets);
    }

    [Fact]
    public async Task Commitment_keeps_the_proxy_bytes_after_the_mode_byte()
    {
        var standard = await Client(ProxyCommitmentMode.Standard).PutAsync(Batch(10), CancellationToken.None);
        var generic = await Client(ProxyCommitmentMode.OptimismGeneric).PutAsync(Batch(10), CancellationToken.None);

        var standardBytes = standard.ToBytes();
        var genericBytes = generic.ToBytes();
        Assert.Equal([0x01, 0x00, FakeEigenDaProxy.CertVersionByte], standardBytes[..3]);
        Assert.Equal([0x01, 0x01, 0x01, 0x00, FakeEigenDaProxy.CertVersionByte], genericBytes[..5]);
    }

    [Fact]
    public async Task Retries_429_and_500_with_backoff_then_succeeds()
    {
        var client = Client(maxRetries: 3);
        _proxy.FailNext(429, 500, 502);

        var commitment = await client.PutAsync(Batch(64), CancellationToken.None);

        Assert.Equal(4, _proxy.PutRequests);
        Assert.Equal(3, client.Stats.Retries);
        Assert.Equal(Batch(64), (await client.GetAsync(commitment, CancellationToken.None)).ToArray());
    }

    [Fact]
    public async Task Persistent_429_ends_as_unavailable_after_the_configured_retries()
    {
        var client = Client(maxRetries: 2);
        _proxy.FailNext(429, 429, 429, 429);

        var error = await Assert.ThrowsAsync<DaUnavailableException>(async () => await client.PutAsync(Batch(64), CancellationToken.None));

        Assert.Equal(DaUnavailableReason.RetriesExhausted, error.Reason);
        Assert.Equal(3, _proxy.PutRequests);
    }

    [Fact]
    public async Task Http_503_is_the_failover_signal_and_is_not_retried()
    {
        var client = Client(maxRetries: 5);
        _proxy.PutReturnsFailoverError = true;

        var error = await Assert.ThrowsAsync<DaUnavailableException>(async () => await client.PutAsync(Batch(64), CancellationToken.None));

        Assert.Equal(DaUnavailableReason.FailoverRequested, error.Reason);
        Assert.Equal(1, _proxy.PutRequests);
        Assert.Equal(1, client.Stats.Failovers);
        Assert.Equal(0, client.Stats.Puts);
    }

    [Fact]
    public async Task Failover_switched_through_the_memstore_config_api_ends_when_switched_back()
    {
        var client = Client();
        var patch = new HttpRequestMessage(HttpMethod.Patch, new Uri(_proxy.BaseUrl, "memstore/config")) { Content = JsonContent.Create(new { PutReturnsFailoverError = true }) };
        (await _http.SendAsync(patch)).EnsureSuccessStatusCode();
        await Assert.ThrowsAsync<DaUnavailableException>(async () => await client.PutAsync(Batch(64), CancellationToken.None));

        var unpatch = new HttpRequestMessage(HttpMethod.Patch, new Uri(_proxy.BaseUrl, "memstore/config")) { Content = JsonContent.Create(new { PutReturnsFailoverError = false }) };
        (await _http.SendAsync(unpatch)).EnsureSuccessStatusCode();
        var commitment = await client.PutAsync(Batch(64), CancellationToken.None);

        Assert.Equal(DaCommitmentKind.EigenDaProxy, commitment.Kind);
    }

    [Fact]
    public async Task Http_400_is_rejected_without_retry()
    {
        var client = Client(maxRetries: 5);
        _proxy.FailNext(400);

        await Assert.ThrowsAsync<DaRejectedException>(async () => await client.PutAsync(Batch(64), CancellationToken.None));

        Assert.Equal(1, _proxy.PutRequests);
        Assert.Equal(0, client.Stats.Retries);
    }

    [Fact]
    public async Task Http_418_on_get_reports_an_invalid_certificate_without_retry()
    {
        var client = Client(maxRetries: 5);
        var commitment = await client.PutAsync(Batch(64), CancellationToken.None);
        _proxy.DerivationErrorStatusCode = 3;

        await Assert.ThrowsAsync<DaCertificateInvalidException>(async () => await client.GetAsync(commitment, CancellationToken.None));

        Assert.Equal(1, _proxy.GetRequests);
    }

    [Fact]
    public async Task Get_of_an_unknown_commitment_is_not_found()
    {
        var client = Client();
        var unknown = new DaCommitment(DaCommitmentKind.EigenDaProxy, [0x00, FakeEigenDaProxy.CertVersionByte, 1, 2, 3]);

        await Assert.ThrowsAsync<DaNotFoundException>(async () => await client.GetAsync(unknown, CancellationToken.None));
    }

    [Fact]
    public async Task A_hanging_proxy_times_out_each_attempt_and_ends_unavailable()
    {
        var client = Client(maxRetries: 1, timeoutMs: 200);
        _proxy.Hang = true;

        var error = await Assert.ThrowsAsync<DaUnavailableException>(async () => await client.PutAsync(Batch(64), CancellationToken.None));

        Assert.Equal(DaUnavailableReason.RetriesExhausted, error.Reason);
        Assert.Contains("no answer within 200 ms", error.Message);
        Assert.Equal(2, _proxy.PutRequests);
    }

    [Fact]
    public async Task Caller_cancellation_is_not_turned_into_a_retry()
    {
        var client = Client(maxRetries: 5, timeoutMs: 60_000);
        _proxy.Hang = true;
        using var cancel = new CancellationTokenSource();

        var put = client.PutAsync(Batch(64), cancel.Token).AsTask();
        await Eventually.UntilAsync(() => _proxy.PutRequests > 0, TimeSpan.FromSeconds(30), "the put reaching the proxy");

        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => put);
        Assert.Equal(0, client.Stats.Retries);
        Assert.Equal(1, _proxy.PutRequests);
    }

    [Fact]
    public async Task Oversized_batch_is_rejected_before_sending()
    {
        var client = Client();

        await Assert.ThrowsAsync<DaRejectedException>(async () => await client.PutAsync(new byte[16 * 1024 * 1024 + 1], CancellationToken.None));

        Assert.Equal(0, _proxy.PutRequests);
    }

    [Fact]
    public async Task Health_reports_up_and_down()
    {
        Assert.True((await Client().CheckHealthAsync(CancellationToken.None)).IsHealthy);

        var down = new EigenDaProxyClient(_http, new ProxyDaOptions { BaseUrl = $"http://127.0.0.1:{TestInfrastructure.Processes.FreePort.Next()}/" });
        var health = await down.CheckHealthAsync(CancellationToken.None);

        Assert.False(health.IsHealthy);
    }

    [Fact]
    public async Task Connection_refused_is_retried_then_unavailable()
    {
        var client = new EigenDaProxyClient(_http, new ProxyDaOptions
        {
            BaseUrl = $"http://127.0.0.1:{TestInfrastructure.Processes.FreePort.Next()}/",
            MaxRetries = 2,
            RetryBaseDelayMs = 1,
            RetryMaxDelayMs = 2,
        });

        var error = await Assert.ThrowsAsync<DaUnavailableException>(async () => await client.PutAsync(Batch(8), CancellationToken.None));

        Assert.Equal(DaUnavailableReason.RetriesExhausted, error.Reason);
        Assert.Equal(2, client.Stats.Retries);
    }
}
