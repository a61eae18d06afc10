// Command-line entry of the batcher project (the `verify` command lives here once built).
Console.Error.WriteLine("usage: dotnet run --project src/Batcher -- verify --l1-rpc URL --inbox ADDRESS --da URL");
return 2;
