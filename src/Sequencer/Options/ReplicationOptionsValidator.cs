using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace Sequencer.Options;

/// <summary>The annotations of <see cref="ReplicationOptions"/>, checked by generated code (no reflection).</summary>
[OptionsValidator]
internal sealed partial class ReplicationOptionsAnnotationsValidator : IValidateOptions<ReplicationOptions>;

/// <summary>The rules the annotations cannot say: names, URLs, MinAcks within the set, keep-alive against the TTL.</summary>
internal sealed partial class ReplicationOptionsValidator : IValidateOptions<ReplicationOptions>
{
    private const string S = ReplicationOptions.Section;

    public ValidateOptionsResult Validate(string? name, ReplicationOptions options)
    {
        var failures = new List<string>();
        if (!IsNodeId(options.NodeId))
        {
            failures.Add($"{S}:NodeId must be 1 to 64 letters, digits, '.', '_' or '-', got \"{options.NodeId}\"");
        }

        if (!IsHttpUrl(options.AdvertisedUrl))
        {
            failures.Add($"{S}:AdvertisedUrl must be an http(s) URL, got \"{options.AdvertisedUrl}\"");
        }

        var seen = new HashSet<string>(StringComparer.Ordinal) { options.NodeId };
        for (var i = 0; i < options.Peers.Count; i++)
        {
            var peer = options.Peers[i];
            if (peer is null)
            {
                failures.Add($"{S}:Peers:{i} is empty");
                continue;
            }

            if (!IsNodeId(peer.NodeId))
            {
                failures.Add($"{S}:Peers:{i}:NodeId must be 1 to 64 letters, digits, '.', '_' or '-', got \"{peer.NodeId}\"");
            }
            else if (!seen.Add(peer.NodeId))
            {
                failures.Add($"{S}:Peers:{i}:NodeId \"{peer.NodeId}\" appears twice in the set (this node counted)");
            }

            if (!IsHttpUrl(peer.Url))
            {
                failures.Add($"{S}:Peers:{i}:Url must be an http(s) URL, got \"{peer.Url}\"");
            }
        }

        var setSize = options.Peers.Count + 1;
        if (options.MinAcks is { } minAcks && (minAcks < 1 || minAcks > setSize))
        {
            failures.Add($"{S}:MinAcks must be between 1 and the set's size {setSize} (this node and {options.Peers.Count} peers), got {minAcks}");
        }

        if (options.Peers.Count > 0 && (options.SharedSecret is null || options.SharedSecret.Trim().Length < 16))
        {
            failures.Add($"{S}:SharedSecret must be set (at least 16 characters, the same on every replica) when the set has peers");
        }

        if (options.EtcdEndpoints.Count == 0)
        {
            failures.Add($"{S}:EtcdEndpoints needs at least one etcd client URL");
        }

        for (var i = 0; i < options.EtcdEndpoints.Count; i++)
        {
            if (!IsHttpUrl(options.EtcdEndpoints[i]))
            {
                failures.Add($"{S}:EtcdEndpoints:{i} must be an http(s) URL, got \"{options.EtcdEndpoints[i]}\"");
            }
        }

        if (string.IsNullOrWhiteSpace(options.KeyPrefix) || options.KeyPrefix.Any(char.IsControl))
        {
            failures.Add($"{S}:KeyPrefix must be a non-blank key prefix without control characters");
        }

        if ((long)options.KeepAliveIntervalMs * 3 > options.LeaseTtlSeconds * 1000L)
        {
            failures.Add($"{S}:KeepAliveIntervalMs ({options.KeepAliveIntervalMs}) must be at most a third of LeaseTtlSeconds ({options.LeaseTtlSeconds} s), so a lost keep-alive can be retried before the lease ends");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static bool IsNodeId(string? value) => value is not null && NodeIdPattern().IsMatch(value);

    private static bool IsHttpUrl(string? value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);

    [GeneratedRegex("^[A-Za-z0-9._-]{1,64}$")]
    private static partial Regex NodeIdPattern();
}
