using Sequencer.Hosting;

try
{
    SequencerApp.Build(args).Run();
    return 0;
}
catch (Exception e) when (StartupFailure.Describe(e) is { } reason)
{
    // A setting is missing or wrong: say which, once, and exit non-zero. Secret settings are named, never shown.
    Console.Error.WriteLine("The sequencer cannot start: " + reason);
    return 1;
}
