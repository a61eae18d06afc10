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
    private FrozenDictionary<string, RpcMethod>? _frozen;

    public RpcMethodTable(IEnumerable<IRpcModule> modules)
    {
        foreach (var module in modules)
        {
            module.Register(this);
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

    public bool TryGet(string name, out RpcMethod method) => _frozen!.TryGetValue(name, out method!);
}
