using System.Text.Json.Nodes;
using RulesMfa.Engine.Context;

namespace RulesMfa.Host.SandboxConsole.Replay;

/// <summary>
/// Explains the gaps of a run's resolved input where they have a reason the admin cannot see in the input itself: no GeoIP
/// database, an address the database does not know, no IP at all, metadata that could not be read, no risk assessment,
/// and secrets that console runs see only as placeholders.
/// </summary>
internal static class InputHints
{
    public static IReadOnlyList<InputHint> Of(LoginContext login, string? unreadable, bool geoIpConfigured, bool fromAnInput, IEnumerable<string> secretNames)
    {
        var hints = new List<InputHint>();
        var request = login.Context["request"] as JsonObject;
        var ip = request?["ip"] is JsonValue address ? address.ToString() : null;
        var geo = request?["geoip"] as JsonObject;
        if (geo is null || geo.Count == 0)
        {
            hints.Add(new InputHint("context.request.geoip",
                fromAnInput ? "empty: the input gives no geoip (a login gets it from the server's GeoIP database, when one is configured)"
                : !geoIpConfigured ? "empty: this server has no GeoIP database (set GeoIp:DatabasePath to a MaxMind-format .mmdb file); event.request.geoip is {} too"
                : ip is null ? "empty: the login has no IP address"
                : $"empty: the GeoIP database has no entry for {ip} (a private, reserved or unknown address)"));
        }

        if (ip is null)
        {
            hints.Add(new InputHint("context.request.ip", "undefined: no IP address was given"));
        }

        if (login.Context["riskAssessment"] is null)
        {
            hints.Add(new InputHint("context.riskAssessment", "undefined: RulesMfa computes no risk assessment; event.authentication.riskAssessment is undefined too"));
        }

        if (unreadable is not null)
        {
            hints.Add(new InputHint("user.app_metadata / user.user_metadata", $"shown as {{}}: {unreadable}"));
        }

        hints.AddRange(secretNames.Select(name => new InputHint($"configuration.{name}",
            $"a placeholder: the secret's value reaches only real logins (event.secrets.{name} too); give a value of your own in the run's configuration to try it")));
        return hints;
    }
}
