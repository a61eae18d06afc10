using System.Text.Json;
using Primitives.Storage;

namespace Batcher.Pipeline;

/// <summary>Reads and atomically replaces the checkpoint file (write, fsync, rename, fsync the directory).</summary>
public sealed class CheckpointFile(string path)
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public string Path { get; } = path;

    public BatcherCheckpoint Load()
    {
        if (!File.Exists(Path))
        {
            return new BatcherCheckpoint();
        }

        try
        {
            return JsonSerializer.Deserialize<BatcherCheckpoint>(File.ReadAllBytes(Path), Json)
                ?? throw new InvalidDataException($"batcher checkpoint {Path} is empty");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"batcher checkpoint {Path} is not valid JSON: {e.Message}", e);
        }
    }

    public void Save(BatcherCheckpoint checkpoint)
    {
        var directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(Path))!;
        Directory.CreateDirectory(directory);
        AtomicFile.Write(Path, JsonSerializer.SerializeToUtf8Bytes(checkpoint, Json));
    }
}
