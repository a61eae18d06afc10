using System.Text.Json;
using TestInfrastructure.Processes;

namespace Acceptance.Clients;

/// <summary>The test token (tests/Sequencer.Tests/Execution/TestToken.sol) compiled once per run by the scripts' solc, for cast and Nethereum.</summary>
internal static class CompiledToken
{
    private static readonly Lazy<Task<(string Abi, string Bytecode)>> Compiled = new(CompileAsync);

    public static string SourcePath => Path.Combine(ToolPaths.RepoRoot, "tests", "Sequencer.Tests", "Execution", "TestToken.sol");

    /// <summary>The ABI (JSON) and the creation bytecode (0x-hex, without constructor arguments).</summary>
    public static Task<(string Abi, string Bytecode)> GetAsync() => Compiled.Value;

    private static async Task<(string, string)> CompileAsync()
    {
        var output = await CastTool.NodeScriptAsync(TimeSpan.FromSeconds(120), "compile-token.mjs", SourcePath);
        using var json = JsonDocument.Parse(output.Split('\n').First(line => line.StartsWith('{')));
        return (json.RootElement.GetProperty("abi").GetRawText(), json.RootElement.GetProperty("bytecode").GetString()!);
    }
}
