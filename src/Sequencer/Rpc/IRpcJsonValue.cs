using System.Text.Json;

namespace Sequencer.Rpc;

/// <summary>
/// A result that writes its own JSON: for replies on the write path, where building a DTO of hex strings first
/// would allocate every field once more per request.
/// </summary>
public interface IRpcJsonValue
{
    void WriteTo(Utf8JsonWriter writer);
}
