using System.Collections.Frozen;

namespace Sequencer.Rpc;

/// <summary>A JSON-RPC method implementation.</summary>
public delegate ValueTask<RpcResult> RpcMethod(RpcCall call);

/// <summary>Contributes methods to the table (the core's modules, and later admission's).</summary>
public interface IRpcModule
{
    void Register(RpcMethodTable table);
}

/// <summary>Method name → implementation, frozen once the host has started.</summary>
public sealed class RpcMethodTable
{
    private readonly Dictionary<string, RpcMethod> _methods = new(StringComparer.Ordinal);
    private readonly List<(string Name, Func<RpcMethod, RpcMethod> Replacement)> _replacements = [];
    private FrozenDictionary<string, RpcMethod>? _frozen;

    public RpcMethodTable(IEnumerable<IRpcModule> modules)
    {
        foreach (var module in modules)
        {
            module.Register(this);
        }

        // Replacements apply once every module has registered, so they do not depend on the modules' order.
        foreach (var (name, replacement) in _replacements)
        {
            _methods[name] = _methods.TryGetValue(name, out var replaced)
                ? replacement(replaced)
                : throw new InvalidOperationException($"JSON-RPC method {name} is replaced but was never registered");
        }

        _frozen = _methods.ToFrozenDictionary(StringComparer.Ordinal);
    }

    public IEnumerable<string> Names => _frozen!.Keys;

    public void Add(string name, RpcMethod method)
    {
        if (_frozen is not null)
        {
            throw new InvalidOperationException("methods are registered by modules while the table is built");
        }

        if (!_methods.TryAdd(name, method))
        {
            throw new InvalidOperationException($"JSON-RPC method {name} is registered twice");
        }
    }

    /// <summary>
    /// Replaces a method another module registers (the execution node's view of blocks over the sequencer's own);
    /// <paramref name="replacement"/> gets the replaced implementation, for the cases it keeps.
    /// </summary>
    public void Replace(string name, Func<RpcMethod, RpcMethod> replacement)
    {
        if (_frozen is not null)
        {
            throw new InvalidOperationException("methods are registered by modules while the table is built");
        }

        _replacements.Add((name, replacement));
    }

    public bool TryGet(string name, out RpcMethod method) => _frozen!.TryGetValue(name, out method!);

    /// <summary>
    /// Looks a name up by its characters, so that a request's method name needs no string of its own (one per
    /// request on the write path otherwise).
    /// </summary>
    public bool TryGet(ReadOnlySpan<char> name, out RpcMethod method) =>
        _frozen!.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(name, out method!);
}
