using System.Text.RegularExpressions;
using RulesMfa.Tests.Support;

namespace RulesMfa.Tests.Factors;

/// <summary>
/// One vocabulary: a factor's type is spelled as a string literal in <c>host/</c> only inside its own folder
/// (<c>host/Factors/&lt;Factor&gt;/</c>); everywhere else the host names it through <c>engine/Policy/FactorType</c>. The
/// literals of the same spelling that are not factor names (Auth0's MFA API wire values, the login form's email field, an
/// <c>amr</c> value) are listed with why, and a listed one that is gone fails too, so the list cannot rot.
/// </summary>
public sealed partial class FactorNameLiteralTests
{
    private static readonly Dictionary<string, string> FolderOf = new(StringComparer.Ordinal)
    {
        ["otp"] = "Totp", ["email"] = "Email", ["recovery-code"] = "RecoveryCode", ["phone"] = "Phone",
        ["push-notification"] = "Push", ["duo"] = "Duo", ["webauthn"] = "WebAuthn",
    };

    /// <summary>Literals spelled as a factor type that name something else: (file under host/, literal) and why.</summary>
    private static readonly Dictionary<(string File, string Literal), string> NotFactorNames = new()
    {
        [("Login/LoginContextFactory.cs", "otp")] = "the MFA API's otp request parameter, kept out of the rules' view of the request",
        [("Login/LoginContextFactory.cs", "email")] = "the user profile's email field",
        [("Pages/Login.cshtml", "email")] = "the login form's email field",
        [("Pages/Admin/BrandingPreview.cshtml", "email")] = "an HTML input type",
        [("MfaApi/MfaApiRequest.cs", "otp")] = "Auth0's authenticator_types wire value, in a doc comment",
        [("MfaApi/MfaRequiredAnswer.cs", "otp")] = "Auth0's mfa_requirements wire value, in a doc comment",
        [("MfaApi/MfaGrantTypes.cs", "otp")] = "Auth0's authenticator_type wire value",
        [("MfaApi/MfaGrantTypes.cs", "recovery-code")] = "Auth0's authenticator_type wire value",
        [("MfaApi/MfaGrants.cs", "otp")] = "the mfa-otp grant's otp parameter",
        [("MfaApi/ChallengeEndpoint.cs", "otp")] = "Auth0's challenge_type wire value",
        [("Factors/Push/PushFactor.cs", "otp")] = "the RFC 8176 amr value of the push device's offline code",
    };

    [Test]
    public void FactorTypeLiterals_InHost_AreOnlyInTheirFactorsFolder()
    {
        var hits = HostSources().SelectMany(file => FactorLiteral().Matches(File.ReadAllText(file.Path))
            .Select(match => (file.Relative, Literal: match.Groups[1].Value))).Distinct().ToList();

        var misplaced = hits
            .Where(hit => !hit.Relative.StartsWith($"Factors/{FolderOf[Owner(hit.Literal)]}/", StringComparison.Ordinal))
            .Where(hit => !NotFactorNames.ContainsKey((hit.Relative, hit.Literal)))
            .Select(hit => $"host/{hit.Relative}: \"{hit.Literal}\"");
        var stale = NotFactorNames.Keys.Where(listed => !hits.Contains(listed)).Select(listed => $"host/{listed.File}: \"{listed.Literal}\"");

        Assert.Multiple(() =>
        {
            Assert.That(hits, Is.Not.Empty, "the scan reads the host's sources");
            Assert.That(misplaced, Is.Empty, "a factor's type outside its folder: name it through FactorType, or move the code into the factor's folder");
            Assert.That(stale, Is.Empty, "listed as not a factor name, but no longer there: take it off the list");
        });
    }

    private static string Owner(string literal) => literal.StartsWith("webauthn", StringComparison.Ordinal) ? "webauthn" : literal;

    private static IEnumerable<(string Path, string Relative)> HostSources()
    {
        var host = Path.Combine(RepositoryPaths.Root, "host");
        return Directory.EnumerateFiles(host, "*", SearchOption.AllDirectories)
            .Where(path => path.EndsWith(".cs", StringComparison.Ordinal) || path.EndsWith(".cshtml", StringComparison.Ordinal))
            .Select(path => (path, Path.GetRelativePath(host, path).Replace('\\', '/')))
            .Where(file => !file.Item2.StartsWith("bin/", StringComparison.Ordinal) && !file.Item2.StartsWith("obj/", StringComparison.Ordinal)
                && !file.Item2.StartsWith("node_modules/", StringComparison.Ordinal));
    }

    // The spellings of issue 12's check: "otp", "email", "recovery-code", "webauthn…", with the factors added since.
    [GeneratedRegex("\"(otp|email|recovery-code|webauthn[a-z-]*|phone|push-notification|duo)\"")]
    private static partial Regex FactorLiteral();
}
