namespace Admission.Options;

/// <summary>Admission settings, section "Admission" of appsettings.json (docs/admission.md "Configuration").</summary>
public sealed class AdmissionOptions
{
    public const string Section = "Admission";

    /// <summary>Where limits and the shared policy live: Embedded (in-process, default) or Redis (shared by replicas).</summary>
    public AdmissionStoreKind Store { get; set; } = AdmissionStoreKind.Embedded;

    /// <summary>StackExchange.Redis configuration string, e.g. "127.0.0.1:6379,password=…" (Store = Redis).</summary>
    public string RedisConfiguration { get; set; } = "";

    /// <summary>Prefix of every Redis key and channel, so deployments can share a Redis.</summary>
    public string RedisKeyPrefix { get; set; } = "admission:";

    /// <summary>
    /// How long one limiter call to Redis may take before Redis counts as unavailable for it (the paid lane then
    /// uses this replica's own limits, the sponsored lane fails closed).
    /// </summary>
    public int RedisTimeoutMs { get; set; } = 200;

    /// <summary>After repeated Redis failures the limiter skips Redis this long, then probes it with one call.</summary>
    public int RedisBreakMs { get; set; } = 2_000;

    /// <summary>Master secret for identity accounts, hex (at least 32 bytes). Prefer <see cref="MasterSecretFile"/>.</summary>
    public string MasterSecret { get; set; } = "";

    /// <summary>File holding the master secret as hex.</summary>
    public string MasterSecretFile { get; set; } = "";

    /// <summary>
    /// With no master secret configured, in the Development environment: generate one into the data directory.
    /// Null (the default) or true: generate in Development; false: never. Outside Development a master secret
    /// is never generated and the host refuses to start without one.
    /// </summary>
    public bool? GenerateDevMasterSecret { get; set; }

    /// <summary>Key operators send in the X-Admin-Key header (at least 32 random characters); empty = no key access.</summary>
    public string AdminApiKey { get; set; } = "";

    /// <summary>File holding the admin API key.</summary>
    public string AdminApiKeyFile { get; set; } = "";

    /// <summary>Wrong admin keys one client may send at once before it is locked out; then one more per <see cref="AdminKeyFailurePeriodSeconds"/> / this.</summary>
    public int AdminKeyMaxFailures { get; set; } = 10;

    /// <summary>The period over which <see cref="AdminKeyMaxFailures"/> wrong keys are allowed.</summary>
    public int AdminKeyFailurePeriodSeconds { get; set; } = 600;

    /// <summary>Policy file (JSON); empty = the built-in default policy.</summary>
    public string PolicyFile { get; set; } = "";

    /// <summary>Claim that holds an identity's roles (space- or comma-separated).</summary>
    public string OperatorRoleClaim { get; set; } = "role";

    /// <summary>Role value that makes an identity an operator.</summary>
    public string OperatorRole { get; set; } = "operator";

    /// <summary>Directory for the dev master secret and the embedded policy store; empty = the sequencer's data directory.</summary>
    public string? DataDirectory { get; set; }

    /// <summary>The chain id a Sign-In with Ethereum message must name: set by the host from Sequencer:ChainId.</summary>
    public ulong ChainId { get; set; }

    /// <summary>How long a Sign-In with Ethereum nonce lives, and the oldest Issued At accepted (docs/admission.md, "Linking a wallet").</summary>
    public int SiweNonceSeconds { get; set; } = 300;

    /// <summary>Operator endpoints that approve sponsored calls, by the name a policy rule uses (docs/admission.md "Verifier hook").</summary>
    public Dictionary<string, VerifierOptions> Verifiers { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Where spend alerts are also POSTed (docs/admission.md "Budgets in wei").</summary>
    public SpendAlertOptions SpendAlerts { get; set; } = new();

    /// <summary>The chain's unit that wei are shown in on /admin (10^18 wei).</summary>
    public string CurrencySymbol { get; set; } = "ETH";
}

public enum AdmissionStoreKind
{
    Embedded,
    Redis,
}
