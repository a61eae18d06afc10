using Sequencer.Options;
using Microsoft.Extensions.Options;

namespace Sequencer.Hosting;

/// <summary>The checks of <see cref="RpcOptions"/> that relate two settings, or need more than a range.</summary>
internal sealed class RpcOptionsValidator : IValidateOptions<SequencerOptions>
{
    public ValidateOptionsResult Validate(string? name, SequencerOptions options)
    {
        var rpc = options.Rpc;
        if (rpc is null)
        {
            return ValidateOptionsResult.Skip;
        }

        var problems = new List<string>();
        if (rpc.WebSocketMaxQueuedBytes < 2L * rpc.MaxResponseBytes)
        {
            // A connection reads its next request while up to half the bound is queued, and that request's
            // reply may be a whole MaxResponseBytes: below twice, a well-behaved client could be disconnected.
            problems.Add($"Sequencer:Rpc:WebSocketMaxQueuedBytes ({rpc.WebSocketMaxQueuedBytes}) must be at least twice Sequencer:Rpc:MaxResponseBytes ({rpc.MaxResponseBytes}).");
        }

        if (rpc.MaxWebSocketConnectionsPerAddress > rpc.MaxWebSocketConnections)
        {
            problems.Add($"Sequencer:Rpc:MaxWebSocketConnectionsPerAddress ({rpc.MaxWebSocketConnectionsPerAddress}) must not exceed Sequencer:Rpc:MaxWebSocketConnections ({rpc.MaxWebSocketConnections}).");
        }

        foreach (var origin in rpc.WebSocketAllowedOrigins ?? [])
        {
            if (!IsOrigin(origin))
            {
                problems.Add($"Sequencer:Rpc:WebSocketAllowedOrigins: \"{origin}\" is not an origin; write \"*\" or scheme://host[:port] (http or https, no path), e.g. \"https://app.example\".");
            }
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }

    private static bool IsOrigin(string? origin) =>
        origin == "*" ||
        (Uri.TryCreate(origin, UriKind.Absolute, out var uri) &&
         uri.Scheme is "http" or "https" &&
         uri.GetLeftPart(UriPartial.Authority).Equals(origin, StringComparison.OrdinalIgnoreCase));
}
