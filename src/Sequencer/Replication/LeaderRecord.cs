using System.Text.Json;
using System.Text.Json.Serialization;

namespace Sequencer.Replication;

/// <summary>
/// The value of the leader key: who leads and where clients and peers reach it. The epoch is not in the value: it is the
/// key's create revision, which etcd assigns.
/// </summary>
public sealed record LeaderRecord(string NodeId, string Url)
{
    public byte[] ToUtf8() => JsonSerializer.SerializeToUtf8Bytes(this, ReplicationJsonContext.Default.LeaderRecord);

    /// <summary>Parses a leader key's value; null when it is not a leader record (written by something else).</summary>
    public static LeaderRecord? TryParse(ReadOnlySpan<byte> utf8)
    {
        try
        {
            var record = JsonSerializer.Deserialize(utf8, ReplicationJsonContext.Default.LeaderRecord);
            return record is { NodeId.Length: > 0, Url.Length: > 0 } ? record : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(LeaderRecord))]
internal sealed partial class ReplicationJsonContext : JsonSerializerContext;
