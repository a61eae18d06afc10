using Sequencer.Hosting;

SequencerApp.Build(args).Run();
