using System.Security.Cryptography;
using System.Text.Json;
using RulesMfa.Host.Storage;

namespace RulesMfa.Host.Cli;

/// <summary>
/// What the companion device keeps (<c>--device-file</c>, default <c>RULESMFA_DEVICE_FILE</c> or <c>~/.rulesmfa/device.json</c>):
/// its identifier and name, its RSA private key (PKCS#8) and its enrollments with their tokens and TOTP secrets. Secret as a
/// whole: written owner-only (0600) in an owner-only folder, through a temporary file so a crash never leaves half a file.
/// </summary>
internal sealed record DeviceFile(string Identifier, string Name, string PrivateKey, IReadOnlyList<DeviceAccount> Accounts)
{
    public const string PathVariable = "RULESMFA_DEVICE_FILE";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static string DefaultPath =>
        Environment.GetEnvironmentVariable(PathVariable) is { Length: > 0 } path ? path
            : System.IO.Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".rulesmfa", "device.json");

    /// <summary>A new device: a random identifier and a new 2048-bit RSA key.</summary>
    public static DeviceFile New(string name)
    {
        using var key = RSA.Create(2048);
        return new DeviceFile($"rulesmfa-device-{Guid.NewGuid():N}", name, Convert.ToBase64String(key.ExportPkcs8PrivateKey()), []);
    }

    /// <summary>The device at <paramref name="path"/>, or null when there is no file yet.</summary>
    /// <exception cref="CliInputException">The file cannot be read or is not a device file.</exception>
    public static DeviceFile? Read(string path)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<DeviceFile>(File.ReadAllText(path), Json) is { Identifier.Length: > 0, PrivateKey.Length: > 0, Accounts: not null } device
                ? device
                : throw new CliInputException($"{path}: not a rulesmfa device file (identifier, privateKey and accounts are needed)");
        }
        catch (Exception error) when (error is JsonException or IOException or UnauthorizedAccessException)
        {
            throw new CliInputException($"{path}: cannot be read as a device file: {error.Message}");
        }
    }

    /// <summary>The device at <paramref name="path"/>, which must have at least one enrollment.</summary>
    /// <exception cref="CliInputException">There is no device file there, or it has no enrollment.</exception>
    public static DeviceFile ReadEnrolled(string path) =>
        Read(path) is { Accounts.Count: > 0 } device
            ? device
            : throw new CliInputException($"{path}: no enrolled account yet: run rulesmfa device enroll URI (the link on the push enrollment page)");

    public async Task WriteAsync(string path, CancellationToken cancellationToken)
    {
        var folder = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!;
        OwnerOnlyFiles.CreateFolder(folder);
        var temporary = path + ".tmp";
        await OwnerOnlyFiles.WriteAllTextAsync(temporary, JsonSerializer.Serialize(this, Json), cancellationToken);
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>The device's key pair.</summary>
    public RSA Key()
    {
        var key = RSA.Create();
        key.ImportPkcs8PrivateKey(Convert.FromBase64String(PrivateKey), out _);
        return key;
    }

    /// <summary>This device with <paramref name="account"/>, replacing an earlier enrollment for the same user at the same server.</summary>
    public DeviceFile With(DeviceAccount account) =>
        this with { Accounts = [.. Accounts.Where(existing => existing.BaseUrl != account.BaseUrl || existing.UserId != account.UserId), account] };
}
