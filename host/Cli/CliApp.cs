using System.CommandLine;

namespace RulesMfa.Host.Cli;

/// <summary>
/// The <c>rulesmfa</c> command line: <c>eval</c> and <c>test</c> (local files or a tenant's deployed rules), <c>migrate</c>, <c>deploy</c>
/// (through the admin API), and the verbs that work on the server's database directly: <c>tenant</c>, <c>admin</c>,
/// <c>client</c>, <c>rule</c> and <c>user</c>; and <c>device</c>, the push companion.
/// </summary>
internal static class CliApp
{
    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        var root = new RootCommand("RulesMfa: run Auth0 Rules and Actions that decide MFA.")
        {
            EvalCommand.Create(output, error),
            TestCommand.Create(output, error),
            MigrateCommand.Create(output, error),
            DeployCommand.Create(output, error),
            TenantCommand.Create(output, error),
            AdminCommand.Create(output, error),
            ClientCommand.Create(output, error),
            RuleCommands.Create(output, error),
            UserCommands.Create(output, error),
            DeviceCommands.Create(output, error),
        };

        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0 || args.Length == 0)
        {
            foreach (var parseError in parsed.Errors)
            {
                error.WriteLine($"rulesmfa: {parseError.Message}");
            }

            error.WriteLine("usage: rulesmfa eval (--rules PATH... | --server URL --tenant T) --context FILE [--configuration FILE] [--now ISO-8601] [--json]");
            error.WriteLine("       rulesmfa test PATH... [--server URL --tenant T]");
            error.WriteLine("       rulesmfa migrate RULE.js");
            error.WriteLine("       rulesmfa deploy FOLDER --server URL --tenant T [--prune]   (credentials: --client-id/--client-secret or RULESMFA_CLIENT_ID/RULESMFA_CLIENT_SECRET)");
            error.WriteLine("       rulesmfa tenant create NAME [--display-name TEXT] [--data-folder DIR]");
            error.WriteLine("       rulesmfa admin create --tenant T --email E [--password-file FILE | --prompt] [--data-folder DIR]");
            error.WriteLine("       rulesmfa client create --tenant T --name N [--data-folder DIR]");
            error.WriteLine("       rulesmfa rule disable|enable --tenant T --rule R [--data-folder DIR]");
            error.WriteLine("       rulesmfa user reset-mfa|forget-browsers --tenant T --email E [--data-folder DIR]");
            error.WriteLine("       rulesmfa device enroll URI|--qr FILE.png | pending [--wait S] | approve ID --digits NN | reject ID | code   [--device-file FILE]");
            return CliExitCodes.UsageOrCompilation;
        }

        return parsed.Invoke(new InvocationConfiguration { Output = output, Error = error });
    }
}
