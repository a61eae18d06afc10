using Batcher.Verification;

namespace Batcher.Tests.Verification;

public sealed class VerifyCommandArgumentTests
{
    [Theory]
    [InlineData(new[] { "--inbox", "0x1", "--da", "x" }, "--l1-rpc, --inbox and --da are required")]
    [InlineData(new[] { "--l1-rpc", "http://127.0.0.1:1", "--inbox", "0x1", "--da", "x", "--bogus", "1" }, "unknown option --bogus")]
    [InlineData(new[] { "--l1-rpc", "http://127.0.0.1:1", "--inbox", "0x1", "--da", "x", "--chain-id", "abc" }, "take a non-negative integer")]
    [InlineData(new[] { "stray" }, "unexpected argument \"stray\"")]
    [InlineData(new[] { "--l1-rpc", "http://127.0.0.1:1", "--inbox", "0x1", "--da", "x", "--prove", "/nonexistent/prover.key" }, "the file does not exist")]
    public async Task Bad_arguments_exit_with_2_and_say_what_is_wrong(string[] args, string message)
    {
        var error = new StringWriter();

        var code = await VerifyCommand.RunAsync(args, TextWriter.Null, error);

        Assert.Equal(2, code);
        Assert.Contains(message, error.ToString());
    }

    [Fact]
    public async Task A_confirmations_file_that_is_not_an_array_exits_with_2()
    {
        var file = Path.GetTempFileName();
        await File.WriteAllTextAsync(file, "{\"txHash\": 1}");
        var error = new StringWriter();

        var code = await VerifyCommand.RunAsync(["--l1-rpc", "http://127.0.0.1:1", "--inbox", "0x1", "--da", Path.GetTempPath(), "--confirmations", file], TextWriter.Null, error);

        File.Delete(file);
        Assert.Equal(2, code);
        Assert.Contains("expected a JSON array of soft confirmations", error.ToString());
    }
}
