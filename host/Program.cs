using RulesMfa.Host.Cli;

return CliApp.Run(args, Console.Out, Console.Error);
