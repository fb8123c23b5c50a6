using ExperimentKit.Cli;

return await ExpkitCli.RunAsync(args, CliConsole.FromSystem()).ConfigureAwait(false);
