namespace RulesMfa.Host.Storage;

/// <summary>
/// Files that only the server's own account may read or write (mode 0600), in folders only it may enter (0700): the
/// database and its journals, the email outbox (live sign-in codes), the log and the demo credentials. Files are
/// created with that mode, never created open and narrowed afterwards; a file left readable by an older version is
/// narrowed when next opened. On Windows, where these modes do not exist, files keep the folder's access rules.
/// </summary>
internal static class OwnerOnlyFiles
{
    private const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode FolderMode = FileMode | UnixFileMode.UserExecute;

    /// <summary>Creates the folder (and missing parents) as 0700; an existing folder keeps its mode.</summary>
    public static void CreateFolder(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
        }
        else
        {
            Directory.CreateDirectory(path, FolderMode);
        }
    }

    /// <summary>Opens the file for appending: created as 0600 when missing, narrowed to 0600 when it exists.</summary>
    public static FileStream OpenAppend(string path, bool asynchronous = false) => Open(path, System.IO.FileMode.Append, asynchronous);

    /// <summary>Creates an empty file as 0600, or narrows an existing one to 0600. True when the file was created.</summary>
    public static bool CreateOrNarrow(string path)
    {
        var existed = File.Exists(path);
        Open(path, System.IO.FileMode.OpenOrCreate, asynchronous: false).Dispose();
        return !existed;
    }

    /// <summary>Narrows an existing file to 0600; nothing when it does not exist.</summary>
    public static void Narrow(string path)
    {
        if (!OperatingSystem.IsWindows() && File.Exists(path))
        {
            File.SetUnixFileMode(path, FileMode);
        }
    }

    /// <summary>Writes the text as the whole file, which is 0600 before the first byte is written.</summary>
    public static async Task WriteAllTextAsync(string path, string text, CancellationToken cancellationToken)
    {
        await using var file = Open(path, System.IO.FileMode.Create, asynchronous: true);
        await using var writer = new StreamWriter(file);
        await writer.WriteAsync(text.AsMemory(), cancellationToken);
    }

    private static FileStream Open(string path, System.IO.FileMode mode, bool asynchronous)
    {
        var options = new FileStreamOptions
        {
            Mode = mode, Access = FileAccess.Write, Share = FileShare.Read, Options = asynchronous ? FileOptions.Asynchronous : FileOptions.None,
        };
        if (OperatingSystem.IsWindows())
        {
            return new FileStream(path, options);
        }

        options.UnixCreateMode = FileMode;
        var stream = new FileStream(path, options);
        File.SetUnixFileMode(stream.SafeFileHandle, FileMode);
        return stream;
    }
}
