// The `verify` command (docs/batch-format.md): `dotnet run --project src/Verify -- verify ...`.
using Batcher.Verification;

if (args.Length == 0 || args[0] != "verify")
{
    Console.Error.WriteLine(VerifyCommand.Usage);
    return 2;
}

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};
return await VerifyCommand.RunAsync(args[1..], Console.Out, Console.Error, cancel.Token);
