using System.Text.Json.Nodes;
using TestInfrastructure.Processes;
using TestInfrastructure;

namespace Batcher.Tests.L1;

public sealed class ContractArtifactTests
{
    [Fact]
    public async Task Committed_artifact_is_what_solc_compiles_from_the_source()
    {
        var output = Directory.CreateTempSubdirectory("batch-inbox-");
        try
        {
            // Same flags as scripts/compile-contracts.sh, from the repository root so the source unit name matches.
            await using var solc = ManagedProcess.Start(ToolPaths.Solcjs,
                ["--optimize", "--optimize-runs", "200", "--bin", "--abi", "-o", output.FullName, "contracts/BatchInbox.sol"],
                workingDirectory: ToolPaths.RepoRoot, name: "solcjs");
            await Eventually.UntilAsync(() => solc.HasExited, TimeSpan.FromSeconds(90), "solcjs to finish: " + solc.RecentOutput);

            Assert.True(solc.ExitCode == 0, "solcjs failed: " + solc.RecentOutput);
            var artifact = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(ToolPaths.RepoRoot, "contracts", "BatchInbox.json")))!;
            var abi = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(output.FullName, "contracts_BatchInbox_sol_BatchInbox.abi")));
            var bytecode = "0x" + (await File.ReadAllTextAsync(Path.Combine(output.FullName, "contracts_BatchInbox_sol_BatchInbox.bin"))).Trim();

            Assert.True(JsonNode.DeepEquals(abi, artifact["abi"]), "contracts/BatchInbox.json abi differs from the compiled source; run scripts/compile-contracts.sh");
            Assert.Equal(bytecode, artifact["bytecode"]!.GetValue<string>());
            Assert.Equal(Batcher.L1.InboxContract.Bytecode, bytecode);
        }
        finally
        {
            output.Delete(true);
        }
    }
}
