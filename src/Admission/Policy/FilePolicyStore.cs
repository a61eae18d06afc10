using System.Text.Json;

namespace Admission.Policy;

/// <summary>
/// The single-replica store: the policy in force is written to <c>admission-policy.json</c> in the data
/// directory (so operator changes survive a restart) and each change is appended to
/// <c>admission-audit.jsonl</c>. Other parts of this process hear of changes through <see cref="PolicyHolder"/>.
/// </summary>
internal sealed class FilePolicyStore(string dataDirectory) : IPolicyStore, IDisposable
{
    public const string PolicyFileName = "admission-policy.json";
    public const string AuditFileName = "admission-audit.jsonl";
    private const int AuditKept = 1000;

    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly LinkedList<AuditEntry> _audit = new();
    private long _version;

    private string PolicyPath => Path.Combine(dataDirectory, PolicyFileName);

    private string AuditPath => Path.Combine(dataDirectory, AuditFileName);

    public async Task StartAsync(AdmissionPolicy initial, PolicyHolder holder, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(initial);
        ArgumentNullException.ThrowIfNull(holder);
        _version = initial.Version;
        if (File.Exists(PolicyPath))
        {
            // A stored policy that no longer validates is a deployment error; say where it is.
            if (!PolicyParser.TryParse(await File.ReadAllTextAsync(PolicyPath, cancellationToken).ConfigureAwait(false), out var stored, out var errors))
            {
                throw new InvalidOperationException($"{PolicyPath} is not a valid policy: {string.Join("; ", errors)}");
            }

            // The higher version wins: a newer configured policy file replaces older operator edits.
            if (stored!.Version >= initial.Version)
            {
                _version = stored.Version;
                holder.Offer(stored);
            }
        }

        if (File.Exists(AuditPath))
        {
            await foreach (var line in File.ReadLinesAsync(AuditPath, cancellationToken).ConfigureAwait(false))
            {
                if (line.Length > 0 && JsonSerializer.Deserialize(line, AuditJsonContext.Default.AuditEntry) is { } entry)
                {
                    Remember(entry);
                }
            }
        }
    }

    public async Task<PolicyWriteResult> TryWriteAsync(AdmissionPolicy next, long expectedVersion, AuditEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(next);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_version != expectedVersion)
            {
                return new PolicyWriteResult(PolicyWriteStatus.Conflict, _version);
            }

            Directory.CreateDirectory(dataDirectory);
            var temp = PolicyPath + ".tmp";
            await WritePrivateAsync(temp, FileMode.Create, next.ToJson(), cancellationToken).ConfigureAwait(false);
            File.Move(temp, PolicyPath, overwrite: true);
            await WritePrivateAsync(AuditPath, FileMode.Append, JsonSerializer.Serialize(entry, AuditJsonContext.Default.AuditEntry) + "\n", cancellationToken).ConfigureAwait(false);
            _version = next.Version;
            lock (_audit)
            {
                Remember(entry);
            }

            return new PolicyWriteResult(PolicyWriteStatus.Written, next.Version);
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task AppendAuditAsync(AuditEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            Directory.CreateDirectory(dataDirectory);
            await WritePrivateAsync(AuditPath, FileMode.Append, JsonSerializer.Serialize(entry, AuditJsonContext.Default.AuditEntry) + "\n", cancellationToken).ConfigureAwait(false);
            lock (_audit)
            {
                Remember(entry);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    public Task<IReadOnlyList<AuditEntry>> ReadAuditAsync(int count, CancellationToken cancellationToken)
    {
        var entries = new List<AuditEntry>(Math.Min(count, AuditKept));
        lock (_audit)
        {
            for (var node = _audit.First; node is not null && entries.Count < count; node = node.Next)
            {
                entries.Add(node.Value);
            }
        }

        return Task.FromResult<IReadOnlyList<AuditEntry>>(entries);
    }

    // The policy names blocked people and the audit who changed what: readable by the sequencer's user only (0600).
    private static async Task WritePrivateAsync(string path, FileMode mode, string text, CancellationToken cancellationToken)
    {
        var options = new FileStreamOptions { Mode = mode, Access = FileAccess.Write, Share = FileShare.Read };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        await using (var stream = new FileStream(path, options))
        {
            await stream.WriteAsync(System.Text.Encoding.UTF8.GetBytes(text), cancellationToken).ConfigureAwait(false);
        }

        // A file created by an older version (or another umask) is narrowed too.
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }

    private void Remember(AuditEntry entry)
    {
        _audit.AddFirst(entry);
        if (_audit.Count > AuditKept)
        {
            _audit.RemoveLast();
        }
    }

    public void Dispose() => _gate.Dispose();
}
