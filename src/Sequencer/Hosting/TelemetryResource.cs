using OpenTelemetry.Resources;

namespace Sequencer.Hosting;

/// <summary>
/// Who reports the metrics: without this the SDK says <c>service.name="unknown_service:dotnet"</c> (Prometheus'
/// <c>target_info</c>, OTLP's resource). <c>OTEL_SERVICE_NAME</c> still names the service when set, as the
/// OpenTelemetry convention has it; <c>OTEL_RESOURCE_ATTRIBUTES</c> adds attributes (e.g. the deployment).
/// </summary>
internal static class TelemetryResource
{
    public const string DefaultServiceName = "rollup-sequencer";

    public static void Describe(ResourceBuilder resource)
    {
        var name = Environment.GetEnvironmentVariable("OTEL_SERVICE_NAME");
        resource.AddService(string.IsNullOrWhiteSpace(name) ? DefaultServiceName : name, serviceVersion: CommandLine.Version);
    }
}
