using Sequencer.Hosting;

return SequencerApp.Run(args);
