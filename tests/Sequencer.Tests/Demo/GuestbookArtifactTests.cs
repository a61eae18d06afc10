using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Sequencer.Demo;
using TestInfrastructure;
using TestInfrastructure.Processes;

namespace Sequencer.Tests.Demo;

/// <summary>The /app demo contract the host deploys is what solc compiles from contracts/Guestbook.sol, and the page's numbers match it.</summary>
public sealed partial class GuestbookArtifactTests
{
    [Fact]
    public async Task Committed_artifact_is_what_solc_compiles_from_the_source()
    {
        var output = Directory.CreateTempSubdirectory("guestbook-");
        try
        {
            // Same flags as scripts/compile-contracts.sh, from the repository root so the source unit name matches.
            await using var solc = ManagedProcess.Start(ToolPaths.Solcjs,
                ["--optimize", "--optimize-runs", "200", "--bin", "--abi", "-o", output.FullName, "contracts/Guestbook.sol"],
                workingDirectory: ToolPaths.RepoRoot, name: "solcjs");
            await Eventually.UntilAsync(() => solc.HasExited, TimeSpan.FromSeconds(90), "solcjs to finish: " + solc.RecentOutput);

            Assert.True(solc.ExitCode == 0, "solcjs failed: " + solc.RecentOutput);
            var abi = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(output.FullName, "contracts_Guestbook_sol_Guestbook.abi")));
            var bytecode = "0x" + (await File.ReadAllTextAsync(Path.Combine(output.FullName, "contracts_Guestbook_sol_Guestbook.bin"))).Trim();
            Assert.True(JsonNode.DeepEquals(abi, JsonNode.Parse(GuestbookContract.Abi)), "contracts/Guestbook.json abi differs from the compiled source; run scripts/compile-contracts.sh");
            Assert.Equal(bytecode, GuestbookContract.Bytecode);
        }
        finally
        {
            output.Delete(true);
        }
    }

    [Fact]
    public async Task The_page_limit_and_selectors_are_the_contracts()
    {
        var source = await File.ReadAllTextAsync(Path.Combine(ToolPaths.RepoRoot, "contracts", "Guestbook.sol"));

        Assert.Equal(GuestbookContract.MaxMessageBytes.ToString(System.Globalization.CultureInfo.InvariantCulture), MaxMessageBytes().Match(source).Groups[1].Value);
        // Known selectors (cast sig): a wrong keccak or signature would send the page's calls nowhere.
        Assert.Equal("0xebaac771", GuestbookContract.Selectors.Write);
        Assert.Equal("0x06661abd", GuestbookContract.Selectors.Count);
        Assert.Equal("0xe2095c07", GuestbookContract.Selectors.Entry);
        var abi = JsonNode.Parse(GuestbookContract.Abi)!.AsArray();
        Assert.Contains(abi, item => (string?)item!["name"] == "write" && (string?)item["inputs"]![0]!["type"] == "string");
        Assert.Contains(abi, item => (string?)item!["name"] == "entry" && (string?)item["inputs"]![0]!["type"] == "uint256");
    }

    [GeneratedRegex(@"MAX_MESSAGE_BYTES = (\d+);")]
    private static partial Regex MaxMessageBytes();
}
