using Gaze.Cli;

return new GazeApp(Console.Out, Console.Error).Run(args);
