using Batcher.Options;
using Batcher.Hosting;
using Batcher.Pipeline;
using Batcher.Tests.Chain;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Primitives.Chain;
using TestInfrastructure.Processes;
using TestInfrastructure;

namespace Batcher.Tests.Hosting;

public sealed class AddBatcherTests
{
    [Fact]
    public void The_repository_appsettings_bind_and_validate_with_L1_posting_off_and_local_DA()
    {
        var configuration = new ConfigurationBuilder().AddJsonFile(Path.Combine(ToolPaths.RepoRoot, "appsettings.json")).Build();
        using var provider = Services(configuration).BuildServiceProvider();

        var options = provider.GetRequiredService<IOptions<BatcherOptions>>().Value;

        Assert.False(options.L1.Enabled);
        Assert.Equal(424242UL, options.ChainId);
        Assert.Equal(DaClient.DaBackend.Local, provider.GetRequiredService<IOptions<DaClient.DaOptions>>().Value.Kind);
        Assert.NotNull(provider.GetRequiredService<BatcherStatus>());
        Assert.Contains(provider.GetServices<IHostedService>(), s => s.GetType().Name == "BatcherService");
    }

    [Fact]
    public void Enabling_L1_without_an_inbox_or_key_fails_validation_with_specific_messages()
    {
        var configuration = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(ToolPaths.RepoRoot, "appsettings.json"))
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Batcher:L1:Enabled"] = "true", ["Batcher:MaxBatchAgeMs"] = "1" })
            .Build();
        using var provider = Services(configuration).BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<BatcherOptions>>().Value);

        Assert.Contains(error.Failures, f => f.Contains("Batcher:L1:RpcUrl must be an http(s) URL"));
        Assert.Contains(error.Failures, f => f.Contains("Batcher:L1:InboxAddress must be a 0x-prefixed 20-byte address"));
        Assert.Contains(error.Failures, f => f.Contains("exactly one of PrivateKey or KeyFile"));
        Assert.Contains(error.Failures, f => f.Contains("Batcher:MaxBatchAgeMs must be at least 10"));
    }

    [Fact]
    public async Task With_L1_off_the_hosted_batcher_writes_batches_to_local_DA_and_the_journal()
    {
        var directory = Directory.CreateTempSubdirectory("batcher-host-");
        try
        {
            var configuration = new ConfigurationBuilder()
                .AddJsonFile(Path.Combine(ToolPaths.RepoRoot, "appsettings.json"))
                .AddInMemoryCollection(new Dictionary<string, string?> { ["Sequencer:DataDirectory"] = directory.FullName, ["Batcher:MaxBatchAgeMs"] = "50" })
                .Build();
            var chain = new TestChain();
            var builder = Host.CreateApplicationBuilder();
            builder.Services.AddSingleton<ISealedBlockSource>(chain);
            builder.Services.AddBatcher(configuration);
            using var host = builder.Build();
            await host.StartAsync();
            chain.SealBlock(4);
            chain.SealBlock(4);
            var status = host.Services.GetRequiredService<BatcherStatus>();
            await Eventually.UntilAsync(() => Task.FromResult(status.NextBlock), next => next > 2, TimeSpan.FromSeconds(20), _ => $"batcher did not batch: {status.Snapshot()}");

            await host.StopAsync();
            Assert.NotEmpty(await File.ReadAllLinesAsync(Path.Combine(directory.FullName, "batcher-journal.jsonl")));
            Assert.NotEmpty(Directory.GetFiles(directory.FullName, "*.batch", SearchOption.AllDirectories));
            Assert.True(File.Exists(Path.Combine(directory.FullName, "batcher-checkpoint.json")));
        }
        finally
        {
            directory.Delete(true);
        }
    }

    private static ServiceCollection Services(IConfiguration configuration)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<ISealedBlockSource>(new TestChain());
        services.AddBatcher(configuration);
        return services;
    }
}
