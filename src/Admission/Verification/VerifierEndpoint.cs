using System.Net;
using System.Text;
using Admission.Options;

namespace Admission.Verification;

/// <summary>A configured verifier, checked and with its secret read: what <see cref="SponsorshipVerifier"/> calls.</summary>
internal sealed class VerifierEndpoint
{
    public const int MaxNameLength = Policy.PolicyValidator.MaxVerifierNameLength;

    public const int MaxTimeoutMs = 30_000, MinTimeoutMs = 10, MaxCacheSeconds = 86_400;

    private VerifierEndpoint(string name, Uri url, byte[] secret, VerifierOptions options)
    {
        Name = name;
        Url = url;
        Secret = secret;
        Timeout = TimeSpan.FromMilliseconds(options.TimeoutMs);
        CacheTime = TimeSpan.FromSeconds(options.CacheSeconds);
        FailOpen = options.FailOpen;
    }

    public string Name { get; }

    public Uri Url { get; }

    /// <summary>The HMAC key: the secret's UTF-8 bytes. Never logged, never in a message.</summary>
    public byte[] Secret { get; }

    public TimeSpan Timeout { get; }

    public TimeSpan CacheTime { get; }

    public bool FailOpen { get; }

    /// <summary>The endpoint from valid options (<see cref="Problems"/> found nothing).</summary>
    public static VerifierEndpoint From(string name, VerifierOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new VerifierEndpoint(name, new Uri(options.Url), Encoding.UTF8.GetBytes(ReadSecret(options)), options);
    }

    /// <summary>What is wrong with one verifier's settings (never showing the secret).</summary>
    public static IEnumerable<string> Problems(string name, VerifierOptions? options)
    {
        var at = "Admission:Verifiers:" + name;
        if (!IsName(name))
        {
            yield return $"{at}: a verifier name is 1-{MaxNameLength} letters, digits, '-', '_' or '.'";
        }

        if (options is null)
        {
            yield return $"{at} needs at least a Url and a Secret or SecretFile";
            yield break;
        }

        if (WhyNotUrl(options.Url) is { } url)
        {
            yield return $"{at}:Url {url}";
        }

        if (!string.IsNullOrWhiteSpace(options.SecretFile) && !File.Exists(options.SecretFile))
        {
            yield return $"{at}:SecretFile {options.SecretFile} does not exist";
        }
        else if (ReadSecret(options) is not { Length: > 0 } secret)
        {
            yield return $"{at}:Secret or {at}:SecretFile is required (the key that signs its requests)";
        }
        else if (SecretKeyRules.Weakness(secret) is { } weakness)
        {
            yield return (string.IsNullOrWhiteSpace(options.SecretFile) ? $"{at}:Secret " : $"the secret in {at}:SecretFile ") + weakness;
        }

        if (options.TimeoutMs is < MinTimeoutMs or > MaxTimeoutMs)
        {
            yield return $"{at}:TimeoutMs must be between {MinTimeoutMs} and {MaxTimeoutMs}, got {options.TimeoutMs}";
        }

        if (options.CacheSeconds is < 0 or > MaxCacheSeconds)
        {
            yield return $"{at}:CacheSeconds must be between 0 and {MaxCacheSeconds}, got {options.CacheSeconds}";
        }
    }

    public static bool IsName(string? name) => Policy.PolicyValidator.IsVerifierName(name);

    // https anywhere; plain http only to this machine, where nothing on the wire can read or change the call.
    internal static string? WhyNotUrl(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            return $"must be an absolute https URL, got \"{url}\"";
        }

        if (uri.Scheme == Uri.UriSchemeHttps)
        {
            return null;
        }

        if (uri.Scheme == Uri.UriSchemeHttp && IsLoopback(uri))
        {
            return null;
        }

        return uri.Scheme == Uri.UriSchemeHttp
            ? $"must be https (plain http only to a loopback address, for tests and development), got \"{url}\""
            : $"must be an https URL, got \"{url}\"";
    }

    private static bool IsLoopback(Uri uri) =>
        string.Equals(uri.Host, "localhost", StringComparison.OrdinalIgnoreCase)
        || (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));

    private static string ReadSecret(VerifierOptions options) =>
        !string.IsNullOrWhiteSpace(options.SecretFile)
            ? File.Exists(options.SecretFile) ? File.ReadAllText(options.SecretFile).Trim() : ""
            : options.Secret;
}
