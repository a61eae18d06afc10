using System.Text.Json;
using System.Text.Json.Serialization;

namespace Sequencer.Execution;

/// <summary>Source-generated JSON for results passed through from the execution node as they came.</summary>
[JsonSerializable(typeof(JsonElement))]
[JsonSerializable(typeof(string))]
internal sealed partial class ExecutionJsonContext : JsonSerializerContext;
