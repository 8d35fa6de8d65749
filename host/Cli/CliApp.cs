using System.CommandLine;

namespace RulesMfa.Host.Cli;

/// <summary>The <c>rulesmfa</c> command line: <c>eval</c>, <c>test</c>, <c>migrate</c> and the <c>user</c> verbs.</summary>
internal static class CliApp
{
    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        var root = new RootCommand("RulesMfa: run Auth0 Rules and Actions that decide MFA.")
        {
            EvalCommand.Create(output, error),
            TestCommand.Create(output, error),
            MigrateCommand.Create(output, error),
            UserCommands.Create(output, error),
        };

        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0 || args.Length == 0)
        {
            foreach (var parseError in parsed.Errors)
            {
                error.WriteLine($"rulesmfa: {parseError.Message}");
            }

            error.WriteLine("usage: rulesmfa eval --rules PATH... --context FILE [--configuration FILE] [--now ISO-8601] [--json]");
            error.WriteLine("       rulesmfa test PATH...");
            error.WriteLine("       rulesmfa migrate RULE.js");
            error.WriteLine("       rulesmfa user reset-mfa|forget-browsers --tenant T --email E [--data-folder DIR]");
            return CliExitCodes.UsageOrCompilation;
        }

        return parsed.Invoke(new InvocationConfiguration { Output = output, Error = error });
    }
}
