Console.Error.WriteLine("load generator: not built yet"); return 2;
