using System.CommandLine;
using RulesMfa.Engine.Compilation;
using RulesMfa.Engine.Migration;

namespace RulesMfa.Host.Cli;

/// <summary>
/// <c>rulesmfa migrate RULE.js</c>: prints the equivalent Action on stdout. What cannot be translated is marked in
/// the Action with a <c>rulesmfa migrate:</c> comment and listed on stderr, and the exit code is then 3, so a
/// script can tell a complete migration (0) from one that needs a person.
/// </summary>
internal static class MigrateCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var path = new Argument<string>("RULE") { Description = "The Rule's .js file." };
        var command = new Command("migrate", "Print the Action equivalent to a Rule.") { path };
        command.SetAction(parsed =>
        {
            var file = parsed.GetValue(path)!;
            try
            {
                var migration = RuleMigrator.Migrate(Path.GetFileNameWithoutExtension(file), File.ReadAllText(file));
                output.Write(migration.Action);
                foreach (var untranslated in migration.Untranslated)
                {
                    error.WriteLine($"{file}: not translated: {untranslated}");
                }

                return migration.Complete ? CliExitCodes.Success : CliExitCodes.MigrationIncomplete;
            }
            catch (Exception exception) when (exception is RuleCompilationException or AlreadyAnActionException)
            {
                error.WriteLine(exception is AlreadyAnActionException
                    ? $"rulesmfa: {file} is already an Action (it exports onExecutePostLogin): there is nothing to migrate"
                    : exception.Message);
                return CliExitCodes.UsageOrCompilation;
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                error.WriteLine($"rulesmfa: cannot read {file}: {exception.Message}");
                return CliExitCodes.UsageOrCompilation;
            }
        });
        return command;
    }
}
