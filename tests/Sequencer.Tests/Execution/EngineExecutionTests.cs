using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Sequencer.Execution;
using Primitives;

namespace Sequencer.Tests.Execution;

/// <summary>The Engine API backend against an in-test engine that checks the JWT and answers VALID / SYNCING / INVALID.</summary>
public sealed class EngineExecutionTests : IAsyncLifetime
{
    private readonly byte[] _secret = Random.Shared.GetItems<byte>(Enumerable.Range(0, 256).Select(b => (byte)b).ToArray(), 32);
    private readonly string _secretFile = Path.Combine(Path.GetTempPath(), $"jwt-{Guid.NewGuid():N}.hex");
    private readonly InMemorySealedBlocks _blocks = new();
    private readonly List<ExecutionFollower> _followers = [];
    private EngineApiServer _engine = null!;

    public async Task InitializeAsync()
    {
        await File.WriteAllTextAsync(_secretFile, Convert.ToHexStringLower(_secret) + "\n");
        _engine = await EngineApiServer.StartAsync(_secret);
    }

    public async Task DisposeAsync()
    {
        foreach (var follower in _followers)
        {
            await follower.StopAsync(CancellationToken.None);
            follower.Dispose();
        }

        await _engine.DisposeAsync();
        File.Delete(_secretFile);
    }

    [Fact]
    public async Task Sealed_blocks_become_engine_blocks_with_exactly_their_transactions_in_order()
    {
        _blocks.Add(5_000, 3);
        _blocks.Add(5_000, 0);
        _blocks.Add(5_001, 2);
        var follower = await StartFollowerAsync();

        await WaitAsync(follower, 3);

        var chain = _engine.Canonical;
        Assert.Equal(4, chain.Count);
        for (ulong n = 1; n <= 3; n++)
        {
            var sealedBlock = _blocks.GetSealedBlock(n)!;
            Assert.Equal(sealedBlock.Transactions.Select(t => Hex.Encode(t.Span)), chain[(int)n].Transactions);
            Assert.True(chain[(int)n].Timestamp > chain[(int)n - 1].Timestamp);
        }

        Assert.Equal(0, _engine.Unauthorized);
    }

    [Fact]
    public async Task A_wrong_jwt_secret_is_refused_and_nothing_is_executed()
    {
        var wrong = Path.Combine(Path.GetTempPath(), $"jwt-{Guid.NewGuid():N}.hex");
        await File.WriteAllTextAsync(wrong, "0x" + new string('a', 64));
        try
        {
            using var client = new ExecutionNodeClient(new Uri(_engine.Url), 2, TimeSpan.FromSeconds(5), EngineJwt.FromFile(wrong, TimeProvider.System).Token);
            var backend = new EngineExecutionBackend(client, 0, "0x" + new string('0', 40), 30_000_000);

            var error = await Assert.ThrowsAsync<ExecutionNodeUnavailableException>(() => backend.GetLastExecutedAsync(CancellationToken.None));

            Assert.Contains("JWT", error.Message);
            Assert.True(_engine.Unauthorized > 0);
            Assert.Single(_engine.Canonical);
        }
        finally
        {
            File.Delete(wrong);
        }
    }

    [Fact]
    public async Task A_syncing_engine_is_retried_until_it_builds()
    {
        _engine.SyncingAnswers = 2;
        _blocks.Add(7_000, 1);
        var follower = await StartFollowerAsync();

        await WaitAsync(follower, 1);

        Assert.Equal(0, _engine.SyncingAnswers);
        Assert.Equal(2, _engine.Canonical.Count);
        Assert.Null(follower.Failure);
    }

    [Fact]
    public async Task An_invalid_payload_stops_execution_for_good()
    {
        _engine.InvalidBlock = 2;
        _blocks.Add(8_000, 1);
        _blocks.Add(8_001, 1);
        _blocks.Add(8_002, 1);
        var follower = await StartFollowerAsync();

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await Assert.ThrowsAsync<ExecutionDivergedException>(async () => await follower.WaitForExecutedAsync(3, timeout.Token));

        Assert.Contains("INVALID", follower.Failure);
        Assert.Equal(1UL, follower.LastExecuted);
        Assert.Equal(2, _engine.Canonical.Count);
    }

    [Fact]
    public async Task A_new_follower_resumes_after_the_engine_head_without_executing_a_block_twice()
    {
        _blocks.Add(9_000, 2);
        _blocks.Add(9_001, 1);
        var first = await StartFollowerAsync();
        await WaitAsync(first, 2);
        await first.StopAsync(CancellationToken.None);
        var builtBefore = _engine.PayloadsBuilt;

        _blocks.Add(9_002, 3);
        var second = await StartFollowerAsync();
        await WaitAsync(second, 3);

        Assert.Equal(builtBefore + 1, _engine.PayloadsBuilt);
        Assert.Equal(4, _engine.Canonical.Count);
        Assert.Equal(_blocks.GetSealedBlock(3)!.Transactions.Select(t => Hex.Encode(t.Span)), _engine.Canonical[3].Transactions);
    }

    private async Task<ExecutionFollower> StartFollowerAsync()
    {
        var client = new ExecutionNodeClient(new Uri(_engine.Url), 2, TimeSpan.FromSeconds(5), EngineJwt.FromFile(_secretFile, TimeProvider.System).Token);
        var backend = new EngineExecutionBackend(client, 0, "0x" + new string('0', 40), 30_000_000);
        var meters = new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<IMeterFactory>();
        var follower = new ExecutionFollower(_blocks, backend, new ExecutionMetrics(meters), TimeSpan.FromMilliseconds(50), NullLogger<ExecutionFollower>.Instance);
        _followers.Add(follower);
        await follower.StartAsync(CancellationToken.None);
        return follower;
    }

    private static async Task WaitAsync(ExecutionFollower follower, ulong number)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await follower.WaitForExecutedAsync(number, timeout.Token);
    }
}
