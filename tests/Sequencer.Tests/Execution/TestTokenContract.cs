using System.Numerics;
using TestInfrastructure.Processes;

namespace Sequencer.Tests.Execution;

/// <summary>TestToken.sol compiled by solcjs once per test run: bytecode, ABI and call encoders.</summary>
public static class TestTokenContract
{
    private static readonly Lazy<Task<(string Bytecode, string AbiJson)>> Compiled = new(CompileAsync);

    /// <summary>Writes the compiled ABI and bytecode to files (for tools that read them, like the viem script).</summary>
    public static async Task<(string AbiFile, string BinFile)> WriteFilesAsync(string directory)
    {
        var (bytecode, abi) = await Compiled.Value;
        var abiFile = Path.Combine(directory, "TestToken.abi");
        var binFile = Path.Combine(directory, "TestToken.bin");
        await File.WriteAllTextAsync(abiFile, abi);
        await File.WriteAllTextAsync(binFile, bytecode);
        return (abiFile, binFile);
    }

    public const string TransferSelector = "a9059cbb";

    public const string BalanceOfSelector = "70a08231";

    /// <summary>keccak256("Transfer(address,address,uint256)").</summary>
    public const string TransferTopic = "0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef";

    public static async Task<string> BytecodeAsync() => (await Compiled.Value).Bytecode;

    public static async Task<string> AbiJsonAsync() => (await Compiled.Value).AbiJson;

    public static string SourcePath => Path.Combine(ToolPaths.RepoRoot, "tests", "Sequencer.Tests", "Execution", "TestToken.sol");

    /// <summary>Init code for a deployment with <paramref name="supply"/> tokens.</summary>
    public static async Task<string> DeploymentDataAsync(BigInteger supply) => "0x" + await BytecodeAsync() + Word(supply);

    public static string TransferData(string to, BigInteger value) => "0x" + TransferSelector + Word(to) + Word(value);

    public static string BalanceOfData(string owner) => "0x" + BalanceOfSelector + Word(owner);

    public static string Word(BigInteger value) => value.ToString("x64").PadLeft(64, '0')[^64..];

    public static string Word(string address) => address[2..].ToLowerInvariant().PadLeft(64, '0');

    private static async Task<(string, string)> CompileAsync()
    {
        var output = Path.Combine(Path.GetTempPath(), "testtoken-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(output);
        var source = Path.Combine(output, "TestToken.sol");
        File.Copy(SourcePath, source);
        var (exit, log) = await ToolRun.RunAsync(ToolPaths.Solcjs, ["--bin", "--abi", "--optimize", "-o", output, "TestToken.sol"], TimeSpan.FromSeconds(60), output);
        var bin = Directory.GetFiles(output, "*TestToken.bin").SingleOrDefault();
        var abi = Directory.GetFiles(output, "*TestToken.abi").SingleOrDefault();
        if (exit != 0 || bin is null || abi is null)
        {
            throw new InvalidOperationException("solcjs failed: " + log);
        }

        return ((await File.ReadAllTextAsync(bin)).Trim(), (await File.ReadAllTextAsync(abi)).Trim());
    }
}
