using System.Text.Json;
using Primitives.Storage;

namespace Admission.People;

/// <summary>
/// Persons of a single sequencer: in memory under one lock, and written to <c>admission-persons.json</c> in the data
/// directory after every change (a person's links outlive a restart; the limits of the embedded store do not). Nonces
/// live in memory only: a restart ends every sign-in that was under way, which costs a person one more signature.
/// </summary>
internal sealed class EmbeddedPersonStore : IPersonStore
{
    public const string FileName = "admission-persons.json";
    private const int MaxNonces = 100_000;

    private readonly Lock _lock = new();
    private readonly Dictionary<string, string> _personOf = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SortedSet<string>> _members = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (string Owner, DateTimeOffset Expires)> _nonces = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;
    private readonly string? _path;

    /// <summary>Links are kept in <c>dataDirectory</c>; null keeps them in memory only (tests).</summary>
    public EmbeddedPersonStore(TimeProvider time, string? dataDirectory)
    {
        _time = time;
        _path = dataDirectory is null ? null : Path.Combine(dataDirectory, FileName);
        if (_path is not null && File.Exists(_path))
        {
            var stored = JsonSerializer.Deserialize(File.ReadAllBytes(_path), PeopleJsonContext.Default.DictionaryStringListString) ?? [];
            foreach (var (person, members) in stored)
            {
                _members[person] = new SortedSet<string>(members, StringComparer.Ordinal);
                foreach (var member in members)
                {
                    _personOf[member] = person;
                }
            }
        }
    }

    public ValueTask<string?> PersonOfAsync(string identityKey, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return ValueTask.FromResult(_personOf.GetValueOrDefault(identityKey));
        }
    }

    public ValueTask<IReadOnlyList<string>> MembersAsync(string person, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return ValueTask.FromResult<IReadOnlyList<string>>(_members.TryGetValue(person, out var members) ? [.. members] : []);
        }
    }

    public ValueTask<LinkOutcome> LinkAsync(string identityKey, string joiningKey, string newPerson, int maxMembers, CancellationToken cancellationToken = default)
    {
        LinkOutcome outcome;
        lock (_lock)
        {
            var mine = _personOf.GetValueOrDefault(identityKey);
            var theirs = _personOf.GetValueOrDefault(joiningKey);
            if (mine is not null && theirs is not null)
            {
                return ValueTask.FromResult(new LinkOutcome(mine == theirs ? LinkStatus.AlreadyLinked : LinkStatus.OtherPerson, theirs, []));
            }

            var person = mine ?? theirs ?? newPerson;
            if (!_members.TryGetValue(person, out var members))
            {
                members = new SortedSet<string>(StringComparer.Ordinal);
                _members[person] = members;
            }

            var joined = new List<string>(2);
            foreach (var key in new[] { identityKey, joiningKey })
            {
                if (!members.Contains(key))
                {
                    joined.Add(key);
                }
            }

            if (members.Count + joined.Count > maxMembers)
            {
                return ValueTask.FromResult(new LinkOutcome(LinkStatus.Full, person, []));
            }

            foreach (var key in joined)
            {
                members.Add(key);
                _personOf[key] = person;
            }

            outcome = new LinkOutcome(LinkStatus.Linked, person, joined);
            Save();
        }

        return ValueTask.FromResult(outcome);
    }

    public ValueTask<UnlinkOutcome> UnlinkAsync(string callerKey, string leavingKey, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            var person = _personOf.GetValueOrDefault(callerKey);
            if (person is null || _personOf.GetValueOrDefault(leavingKey) != person)
            {
                return ValueTask.FromResult(new UnlinkOutcome(null, []));
            }

            var members = _members[person];
            members.Remove(leavingKey);
            _personOf.Remove(leavingKey);
            var left = new List<string> { leavingKey };
            if (members.Count == 1)
            {
                var last = members.Min!;
                _personOf.Remove(last);
                _members.Remove(person);
                left.Add(last);
            }

            Save();
            return ValueTask.FromResult(new UnlinkOutcome(person, left));
        }
    }

    public ValueTask AddNonceAsync(string nonce, string ownerKey, DateTimeOffset expiresAt, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            if (_nonces.Count >= MaxNonces)
            {
                var now = _time.GetUtcNow();
                foreach (var (stale, expires) in _nonces.ToList())
                {
                    if (expires.Expires <= now)
                    {
                        _nonces.Remove(stale);
                    }
                }

                // Still full of live nonces: the oldest request loses, never memory without bound.
                if (_nonces.Count >= MaxNonces)
                {
                    _nonces.Remove(_nonces.MinBy(pair => pair.Value.Expires).Key);
                }
            }

            _nonces[nonce] = (ownerKey, expiresAt);
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask<string?> TakeNonceAsync(string nonce, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return ValueTask.FromResult(_nonces.Remove(nonce, out var issued) && issued.Expires > _time.GetUtcNow() ? issued.Owner : null);
        }
    }

    // Called under the lock: the file always matches memory (a few persons' worth of JSON; links change rarely).
    private void Save()
    {
        if (_path is null)
        {
            return;
        }

        var snapshot = new Dictionary<string, List<string>>(_members.Count, StringComparer.Ordinal);
        foreach (var (person, members) in _members)
        {
            snapshot[person] = [.. members];
        }

        Directory.CreateDirectory(Path.GetDirectoryName(_path)!);
        AtomicFile.Write(_path, JsonSerializer.SerializeToUtf8Bytes(snapshot, PeopleJsonContext.Default.DictionaryStringListString));
    }
}
