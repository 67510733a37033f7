using Gaze.Cli;

return new GazeApp(Console.Out, Console.Error) { HandlesSignals = true }.Run(args);
