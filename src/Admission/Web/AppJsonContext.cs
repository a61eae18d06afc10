using System.Text.Json.Serialization;

namespace Admission.Web;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(AppDemoState))]
internal sealed partial class AppJsonContext : JsonSerializerContext;
