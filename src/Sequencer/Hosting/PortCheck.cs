using System.Net;
using System.Net.Sockets;

namespace Sequencer.Hosting;

/// <summary>
/// Finds a listening address another process holds before the host starts. Kestrel would find it too, but the
/// generic host logs that failure with its stack trace before the program can say it in one line; Kestrel's own
/// failure still ends the start with that line if the port is taken in between (StartupFailure).
/// </summary>
internal static class PortCheck
{
    /// <summary>Throws IOException naming the first address of <paramref name="urls"/> (Urls, ';'-separated) in use.</summary>
    public static void ThrowIfTaken(string? urls)
    {
        foreach (var url in (urls ?? string.Empty).Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parsable = url.Replace("://*", "://0.0.0.0", StringComparison.Ordinal).Replace("://+", "://0.0.0.0", StringComparison.Ordinal);
            if (!Uri.TryCreate(parsable, UriKind.Absolute, out var uri) || uri.Port <= 0)
            {
                continue;
            }

            var address = uri.IsLoopback && !IPAddress.TryParse(uri.Host, out _) ? IPAddress.Loopback
                : IPAddress.TryParse(uri.Host.Trim('[', ']'), out var parsed) ? parsed : null;
            if (address is null)
            {
                continue;
            }

            using var probe = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                probe.Bind(new IPEndPoint(address, uri.Port));
            }
            catch (SocketException ex) when (ex.SocketErrorCode == SocketError.AddressAlreadyInUse)
            {
                throw new IOException($"Failed to bind to address {url.TrimEnd('/')}: address already in use.",
                    new Microsoft.AspNetCore.Connections.AddressInUseException(ex.Message, ex));
            }
        }
    }
}
