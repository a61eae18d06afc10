using System.Text.Json.Serialization;
using Admission.Operators;
using DaClient;
using Microsoft.Extensions.Options;

namespace Sequencer.OperatorConsole;

/// <summary>
/// GET /admin/api/history: the console's last hour (docs/admission.md "Operator console"). Mapped in the operator
/// group (<see cref="AdminEndpoints.MapOperatorApi"/>), so it needs operator auth like every /admin/api endpoint.
/// </summary>
internal static class ConsoleHistoryEndpoint
{
    public static void Map(WebApplication app) =>
        app.MapOperatorApi().MapGet("/history", (ConsoleHistory history, IOptions<DaOptions> da) => TypedResults.Json(
            new ConsoleHistoryReply(history.SampleSeconds, history.Capacity, da.Value.Kind.ToString().ToLowerInvariant(), history.Snapshot()),
            ConsoleJsonContext.Default.ConsoleHistoryReply));
}

/// <summary>The history's answer: the sample period, how many samples an hour holds, the DA backend's kind and the samples.</summary>
internal sealed record ConsoleHistoryReply(int SampleSeconds, int Capacity, string DaBackend, IReadOnlyList<ConsoleSample> Samples);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(ConsoleHistoryReply))]
internal sealed partial class ConsoleJsonContext : JsonSerializerContext;
