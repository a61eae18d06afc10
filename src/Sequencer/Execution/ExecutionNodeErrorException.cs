using System.Text.Json;

namespace Sequencer.Execution;

/// <summary>The execution node answered a call with a JSON-RPC error.</summary>
public sealed class ExecutionNodeErrorException(string method, int code, string nodeMessage, JsonElement? errorData)
    : Exception($"{method}: execution node error {code}: {nodeMessage}")
{
    public int Code { get; } = code;

    public string NodeMessage { get; } = nodeMessage;

    public JsonElement? ErrorData { get; } = errorData;
}
