using RulesMfa.Host;
using RulesMfa.Host.Cli;

// With no verb the executable serves; with one, or asking for help, it is the CLI (help never serves).
return CliApp.IsServe(args)
    ? await ServerApp.RunAsync(args)
    : CliApp.Run(args, Console.Out, Console.Error);
