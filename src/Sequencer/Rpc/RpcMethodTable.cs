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
    private readonly HashSet<string> _oneString = new(StringComparer.Ordinal);
    private FrozenDictionary<string, RpcMethod>? _frozen;
    private FrozenDictionary<string, RpcMethod>? _frozenOneString;

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
            // A replacement may read its params any way (Params.Raw), so it gets them as a document.
            _oneString.Remove(name);
        }

        _frozen = _methods.ToFrozenDictionary(StringComparer.Ordinal);
        _frozenOneString = _methods.Where(m => _oneString.Contains(m.Key)).ToFrozenDictionary(StringComparer.Ordinal);
    }

    public IEnumerable<string> Names => _frozen!.Keys;

    public void Add(string name, RpcMethod method) => Add(name, method, RpcParamsShape.Any);

    /// <summary>
    /// Registers a method; <see cref="RpcParamsShape.OneString"/> lets the processor hand it params of the form
    /// <c>["…"]</c> as the request's own bytes, without a document (see <see cref="RpcParamsShape"/>).
    /// </summary>
    public void Add(string name, RpcMethod method, RpcParamsShape shape)
    {
        if (_frozen is not null)
        {
            throw new InvalidOperationException("methods are registered by modules while the table is built");
        }

        if (!_methods.TryAdd(name, method))
        {
            throw new InvalidOperationException($"JSON-RPC method {name} is registered twice");
        }

        if (shape == RpcParamsShape.OneString)
        {
            _oneString.Add(name);
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

    /// <summary>A method registered with <see cref="RpcParamsShape.OneString"/>, by its name's characters.</summary>
    public bool TryGetOneString(ReadOnlySpan<char> name, out RpcMethod method) =>
        _frozenOneString!.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(name, out method!);
}

/// <summary>How a method reads its params, which decides how the processor may hand them over.</summary>
public enum RpcParamsShape
{
    /// <summary>Any params, as a document (<see cref="RpcParams.Raw"/> and every typed read).</summary>
    Any,

    /// <summary>
    /// The method reads its params only through <see cref="RpcParams.ExpectAtMost"/> and <see cref="RpcParams.GetData"/>
    /// at index 0. A request whose params are exactly one plain string then reaches it as that string's bytes, read by
    /// the write path's reader with no document (the transaction sends, issue 16); any other params still come as a
    /// document, so the method's errors for them stay its own.
    /// </summary>
    OneString,
}
