using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;
using Sequencer.Execution;
using Sequencer.Options;
using Sequencer.Sequencing;

namespace Sequencer.Hosting;

/// <summary>
/// One log line, once the host listens, with what an operator or a dApp developer needs to connect: the chain id, the
/// JSON-RPC URLs (HTTP and WebSocket), the pages, the execution mode, the data directory and the sequencer address.
/// </summary>
internal static partial class StartupSummary
{
    public static void LogWhenStarted(WebApplication app)
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Sequencer.Startup");
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            var options = app.Services.GetRequiredService<IOptions<SequencerOptions>>().Value;
            var execution = app.Services.GetRequiredService<IOptions<ExecutionOptions>>().Value;
            var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
            var http = string.Join(", ", addresses.Select(a => a.TrimEnd('/') + "/"));
            var ws = string.Join(", ", addresses.Select(a => "ws" + a.TrimEnd('/')[4..] + "/ws"));
            var pages = string.Join(", ", addresses.Select(a => a.TrimEnd('/') + "/app") .Concat(addresses.Select(a => a.TrimEnd('/') + "/admin")));
            var mode = execution.Kind == ExecutionKind.None
                ? "ordering only (no execution node: receipts state no outcome; set Sequencer:Execution:Kind for balances and receipts)"
                : $"{execution.Kind} at {execution.RpcUrl}";
            LogSummary(logger, options.ChainId, http, ws, pages, mode, Path.GetFullPath(options.DataDirectory),
                app.Services.GetRequiredService<SoftConfirmationSigner>().Sequencer.ToString());
        });
    }

    [LoggerMessage(EventId = 51, Level = LogLevel.Information,
        Message = "Sequencer ready: chain id {ChainId}; JSON-RPC {HttpUrls} and {WebSocketUrls}; pages {Pages}; execution {ExecutionMode}; data directory {DataDirectory}; sequencer address {SequencerAddress}")]
    private static partial void LogSummary(ILogger logger, ulong chainId, string httpUrls, string webSocketUrls, string pages, string executionMode, string dataDirectory, string sequencerAddress);
}
