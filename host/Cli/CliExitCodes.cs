namespace RulesMfa.Host.Cli;

/// <summary>Exit codes of the CLI verbs.</summary>
internal static class CliExitCodes
{
    /// <summary>The rules were evaluated (a deny included), or every test case passed.</summary>
    public const int Success = 0;

    /// <summary>At least one test case failed.</summary>
    public const int TestsFailed = 1;

    /// <summary>The server refused a request of a verb that talks to it (<c>device</c>); its words are on stderr.</summary>
    public const int ServerRefused = 1;

    /// <summary>A usage error, an unreadable input file, or a rule that does not compile.</summary>
    public const int UsageOrCompilation = 2;

    /// <summary><c>migrate</c> printed the Action, but some parts of the Rule could not be translated (marked in it, listed on stderr).</summary>
    public const int MigrationIncomplete = 3;
}
