using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace Sequencer.Options;

/// <summary>
/// "Sequencer:ForwardedHeaders": behind a TLS-terminating proxy, take the client's scheme and address
/// from X-Forwarded-Proto / X-Forwarded-For, so cookies get the Secure flag, login redirect URIs say
/// https and limits see the real client. Off by default: trusted only from the proxies listed (or,
/// with none listed, from loopback), since anyone else could send the headers too.
/// </summary>
public sealed class ForwardedHeadersSettings
{
    public bool Enabled { get; set; }

    /// <summary>Addresses of the proxies whose forwarded headers are believed; empty: loopback only.</summary>
    public List<string> KnownProxies { get; set; } = [];

    /// <summary>Networks (CIDR, e.g. "10.0.0.0/8") whose forwarded headers are believed.</summary>
    public List<string> KnownNetworks { get; set; } = [];

    /// <summary>How many proxy hops are read from the end of X-Forwarded-For.</summary>
    public int ForwardLimit { get; set; } = 1;

    /// <summary>The middleware's options, or an exception naming the setting that does not parse.</summary>
    public ForwardedHeadersOptions ToOptions()
    {
        var options = new ForwardedHeadersOptions
        {
            ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto,
            ForwardLimit = ForwardLimit < 1 ? throw Invalid("ForwardLimit", "must be at least 1") : ForwardLimit,
        };
        if (KnownProxies.Count == 0 && KnownNetworks.Count == 0)
        {
            return options;
        }

        options.KnownProxies.Clear();
        options.KnownIPNetworks.Clear();
        foreach (var proxy in KnownProxies)
        {
            options.KnownProxies.Add(IPAddress.TryParse(proxy, out var address) ? address : throw Invalid("KnownProxies", $"\"{proxy}\" is not an IP address"));
        }

        foreach (var network in KnownNetworks)
        {
            options.KnownIPNetworks.Add(System.Net.IPNetwork.TryParse(network, out var parsed) ? parsed : throw Invalid("KnownNetworks", $"\"{network}\" is not a network in CIDR form"));
        }

        return options;
    }

    private static InvalidOperationException Invalid(string setting, string problem) =>
        new($"{SequencerOptions.Section}:ForwardedHeaders:{setting} {problem}");
}
