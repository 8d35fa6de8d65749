namespace RulesMfa.Host.Cli;

/// <summary>An admin's password as <c>admin create</c> takes it: from a file's first line or typed at the terminal (not echoed), never from the command line.</summary>
internal static class AdminPassword
{
    /// <summary>The shortest password accepted from a file or the prompt.</summary>
    public const int MinPasswordLength = 12;

    /// <summary>The longest password accepted (the login form's own limit).</summary>
    public const int MaxPasswordLength = 1024;

    /// <summary>The password from the first line of <paramref name="file"/> or the terminal, or null when neither is asked for.</summary>
    /// <exception cref="CliInputException">Both are asked for, the file cannot be read, or the password is too short or too long.</exception>
    public static string? Read(string? file, bool prompt, TextWriter error)
    {
        if (file is not null && prompt)
        {
            throw new CliInputException("give the password with --password-file or --prompt, not both");
        }

        string? password;
        if (file is not null)
        {
            try
            {
                using var reader = new StreamReader(file);
                password = reader.ReadLine() ?? "";
            }
            catch (IOException exception)
            {
                throw new CliInputException($"{file}: {exception.Message}");
            }
            catch (UnauthorizedAccessException exception)
            {
                throw new CliInputException($"{file}: {exception.Message}");
            }
        }
        else if (prompt)
        {
            error.Write("Password (not shown): ");
            password = Console.IsInputRedirected ? Console.In.ReadLine() ?? "" : ReadHidden();
            error.WriteLine();
        }
        else
        {
            return null;
        }

        return password.Length is >= MinPasswordLength and <= MaxPasswordLength
            ? password
            : throw new CliInputException($"the password must have {MinPasswordLength} to {MaxPasswordLength} characters{(file is null ? "" : $" ({file}, first line)")}");
    }

    private static string ReadHidden()
    {
        var password = new System.Text.StringBuilder();
        for (var key = Console.ReadKey(intercept: true); key.Key != ConsoleKey.Enter; key = Console.ReadKey(intercept: true))
        {
            if (key.Key == ConsoleKey.Backspace)
            {
                password.Length = Math.Max(0, password.Length - 1);
            }
            else if (!char.IsControl(key.KeyChar))
            {
                password.Append(key.KeyChar);
            }
        }

        return password.ToString();
    }
}
