using DaClient.Disperser;
using DaClient.Local;
using DaClient.Proxy;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace DaClient.Tests;

public sealed class DaClientServiceCollectionExtensionsTests : IDisposable
{
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "da-di-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dataDirectory))
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
    }

    private static string RepoAppSettings()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "appsettings.json");
            if (File.Exists(candidate) && File.Exists(Path.Combine(directory.FullName, "Sequencer.sln")))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException("repo-root appsettings.json not found");
    }

    private ServiceProvider Build(params (string Key, string? Value)[] overrides)
    {
        var settings = new Dictionary<string, string?> { ["Sequencer:DataDirectory"] = _dataDirectory };
        foreach (var (key, value) in overrides)
        {
            settings[key] = value;
        }

        var configuration = new ConfigurationBuilder()
            .AddJsonFile(RepoAppSettings())
            .AddInMemoryCollection(settings)
            .Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddDaClient(configuration);
        return services.BuildServiceProvider();
    }

    [Fact]
    public async Task Repo_defaults_give_the_local_store_inside_the_data_directory()
    {
        using var provider = Build();

        var client = provider.GetRequiredService<IDaClient>();
        var commitment = await client.PutAsync(new byte[] { 1, 2, 3 }, CancellationToken.None);

        Assert.IsType<LocalDaStore>(client);
        Assert.True(File.Exists(Path.Combine(_dataDirectory, "da", Convert.ToHexStringLower(commitment.Body.Span) + ".batch")));
    }

    [Fact]
    public void Repo_defaults_bind_every_section_with_the_documented_values()
    {
        using var provider = Build();

        var options = provider.GetRequiredService<IOptions<DaOptions>>().Value;

        Assert.Equal(DaBackend.Local, options.Kind);
        Assert.Equal("http://127.0.0.1:3100", options.Proxy.BaseUrl);
        Assert.Equal(ProxyCommitmentMode.Standard, options.Proxy.CommitmentMode);
        Assert.Equal([0u, 1u], options.Disperser.Quorums);
        Assert.Equal([0u, 1u], options.Disperser.EffectiveQuorums);
        Assert.Equal(30_000, options.Disperser.CertifiedTimeoutMs);
    }

    [Fact]
    public void Proxy_kind_gives_the_proxy_client()
    {
        using var provider = Build(("Sequencer:Da:Kind", "Proxy"));

        Assert.IsType<EigenDaProxyClient>(provider.GetRequiredService<IDaClient>());
    }

    [Fact]
    public async Task Proxy_client_from_di_puts_and_gets_through_the_http_client_factory()
    {
        await using var proxy = await Fakes.FakeEigenDaProxy.StartAsync();
        using var provider = Build(("Sequencer:Da:Kind", "Proxy"), ("Sequencer:Da:Proxy:BaseUrl", proxy.BaseUrl.ToString()));
        var client = provider.GetRequiredService<IDaClient>();

        var commitment = await client.PutAsync(new byte[] { 9, 8, 7 }, CancellationToken.None);

        Assert.Equal(new byte[] { 9, 8, 7 }, (await client.GetAsync(commitment, CancellationToken.None)).ToArray());
        Assert.True((await client.CheckHealthAsync(CancellationToken.None)).IsHealthy);
    }

    [Fact]
    public void Disperser_kind_gives_the_disperser_client_paying_from_the_configured_account()
    {
        const string key = "0x4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318";
        using var provider = Build(
            ("Sequencer:Da:Kind", "Disperser"),
            ("Sequencer:Da:Disperser:AccountKey", key),
            ("Sequencer:Da:Disperser:ReservedBytesPerSecond", "1048576"));

        var client = Assert.IsType<EigenDaDisperserClient>(provider.GetRequiredService<IDaClient>());

        Assert.Equal(new Nethereum.Signer.EthECKey(key).GetPublicAddress(), client.Account);
    }

    [Fact]
    public void Disperser_without_an_account_key_or_any_way_to_pay_fails_validation_with_both_reasons()
    {
        using var provider = Build(("Sequencer:Da:Kind", "Disperser"));

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<DaOptions>>().Value);

        Assert.Contains(error.Failures, f => f.Contains("AccountKey", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.Contains("OnDemandEnabled", StringComparison.Ordinal));
    }

    [Fact]
    public void Out_of_range_values_fail_validation_with_the_setting_named()
    {
        using var provider = Build(("Sequencer:Da:Proxy:MaxRetries", "1000"));

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<DaOptions>>().Value);

        Assert.Contains(error.Failures, f => f.Contains("Sequencer:Da:Proxy", StringComparison.Ordinal) && f.Contains("MaxRetries", StringComparison.Ordinal));
    }
}
