using RulesMfa.Host;
using RulesMfa.Host.Cli;

// With no verb the executable serves; with one it is the CLI.
return args.Length == 0 || args[0].StartsWith('-')
    ? await ServerApp.RunAsync(args)
    : CliApp.Run(args, Console.Out, Console.Error);
