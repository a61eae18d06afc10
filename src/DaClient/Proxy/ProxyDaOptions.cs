using System.ComponentModel.DataAnnotations;

namespace DaClient.Proxy;

/// <summary>"Sequencer:Da:Proxy": an eigenda-proxy reached over REST.</summary>
public sealed class ProxyDaOptions
{
    /// <summary>Base URL of the proxy (its documented default port is 3100).</summary>
    [Required]
    public string BaseUrl { get; set; } = "http://127.0.0.1:3100";

    public ProxyCommitmentMode CommitmentMode { get; set; } = ProxyCommitmentMode.Standard;

    /// <summary>Time allowed for one HTTP attempt. A put waits for EigenDA certification, so this is long.</summary>
    [Range(1, 3_600_000)]
    public int RequestTimeoutMs { get; set; } = 180_000;

    /// <summary>Retries after the first attempt on 429, 5xx (except 503), timeouts and connection errors.</summary>
    [Range(0, 100)]
    public int MaxRetries { get; set; } = 4;

    [Range(0, 600_000)]
    public int RetryBaseDelayMs { get; set; } = 500;

    [Range(0, 600_000)]
    public int RetryMaxDelayMs { get; set; } = 30_000;

    /// <summary>Largest batch sent; the proxy rejects bodies above 16 MiB.</summary>
    [Range(1, 16 * 1024 * 1024)]
    public int MaxBatchBytes { get; set; } = 16 * 1024 * 1024;
}
