namespace RulesMfa.Engine.Sandbox.Modules;

/// <summary>
/// What a rule passed to <c>require</c>: a package name, optionally scoped, with an optional version Auth0 let
/// rules pin (<c>lodash@4.17.19</c>, <c>@scope/pkg@1.2.3</c>) and an optional path inside the package
/// (<c>lodash/get</c>). The version is ignored: the installed version answers.
/// </summary>
internal sealed record ModuleSpecifier(string Package, string? Subpath)
{
    public static ModuleSpecifier? Parse(string request)
    {
        if (request.Length == 0 || request.StartsWith('.') || request.StartsWith('/') || request.Contains('\\') || request.Contains(".."))
        {
            return null;
        }

        var parts = request.Split('/');
        var scoped = request.StartsWith('@');
        if (scoped && parts.Length < 2)
        {
            return null;
        }

        var nameParts = scoped ? 2 : 1;
        var package = string.Join('/', parts.Take(nameParts));
        var versionAt = package.IndexOf('@', scoped ? 1 : 0);
        var versionless = versionAt > 0 ? package[..versionAt] : package;
        var subpath = parts.Length > nameParts ? string.Join('/', parts.Skip(nameParts)) : null;
        return versionless.Length == 0 || subpath == "" ? null : new ModuleSpecifier(versionless, subpath);
    }
}
