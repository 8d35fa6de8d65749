using RulesMfa.Engine.Compilation;

namespace RulesMfa.Benchmarks;

/// <summary>
/// A realistic MFA policy of a tenant, as ten Auth0 rules: eight legacy Rules and two post-login Actions.
/// <see cref="PlainCSharpPolicy"/> is the same policy written by hand in C#.
/// </summary>
/// <remarks>
/// The Rules run first, in order, then the Actions; a later MFA request replaces an earlier one, and the
/// first deny stops the pipeline. Rules pass <c>context.trustedNetwork</c> to the Rules after them.
/// </remarks>
public static class TenRulePolicy
{
    public const string ClaimNamespace = "https://rulesmfa.example/";

    public const string MfaAcrValue = "http://schemas.openid.net/pape/policies/2007/06/multi-factor";

    /// <summary>The tenant's configuration: <c>configuration</c> for the Rules and <c>event.secrets</c> for the Actions.</summary>
    public static IReadOnlyDictionary<string, string> Configuration { get; } = new Dictionary<string, string>
    {
        ["TRUSTED_CIDRS"] = "10.0.0.0/8,172.16.0.0/12,192.168.0.0/16,203.0.113.0/24",
        ["BLOCKED_IPS"] = "198.51.100.7,198.51.100.23,192.0.2.66,45.155.205.233",
        ["MFA_CLIENTS"] = "payroll-spa,admin-console,finance-portal",
        ["OFFICE_HOURS_CLIENT"] = "payroll-spa",
        ["MFA_SESSION_HOURS"] = "12",
    };

    /// <summary>Deny a login until the user has verified their email.</summary>
    public const string DenyUnverifiedEmail = """
        function denyUnverifiedEmail(user, context, callback) {
          if (!user.email_verified) {
            return callback(new UnauthorizedError('Please verify your email address before logging in.'));
          }
          callback(null, user, context);
        }
        """;

    /// <summary>Deny logins from blocklisted IP addresses.</summary>
    public const string BlocklistedIps = """
        function blocklistedIps(user, context, callback) {
          const blocked = (configuration.BLOCKED_IPS || '').split(',').map(function (ip) { return ip.trim(); }).filter(Boolean);
          if (blocked.indexOf(context.request.ip) !== -1) {
            return callback(new UnauthorizedError('Logins from this IP address are blocked.'));
          }
          callback(null, user, context);
        }
        """;

    /// <summary>Mark logins from the corporate networks (IPv4 CIDRs) as trusted, for the Rules after it.</summary>
    public const string TrustedNetwork = """
        function trustedNetwork(user, context, callback) {
          function parseIpv4(text) {
            const parts = String(text || '').split('.');
            if (parts.length !== 4) return null;
            let value = 0;
            for (let i = 0; i < 4; i++) {
              if (!/^\d{1,3}$/.test(parts[i])) return null;
              const octet = parseInt(parts[i], 10);
              if (octet > 255) return null;
              value = value * 256 + octet;
            }
            return value;
          }

          function inCidr(ip, cidr) {
            const [range, bitsText] = cidr.trim().split('/');
            const network = parseIpv4(range);
            const bits = bitsText === undefined ? 32 : parseInt(bitsText, 10);
            if (network === null || !(bits >= 0 && bits <= 32)) return false;
            const mask = bits === 0 ? 0 : (0xFFFFFFFF << (32 - bits)) >>> 0;
            return ((ip & mask) >>> 0) === ((network & mask) >>> 0);
          }

          const ip = parseIpv4(context.request.ip);
          const cidrs = (configuration.TRUSTED_CIDRS || '').split(',').filter(Boolean);
          context.trustedNetwork = ip !== null && cidrs.some(function (cidr) { return inCidr(ip, cidr); });
          callback(null, user, context);
        }
        """;

    /// <summary>Require MFA for the applications listed in the configuration, outside the corporate networks.</summary>
    public const string ClientMfaList = """
        function clientMfaList(user, context, callback) {
          const clients = (configuration.MFA_CLIENTS || '').split(',').map(function (id) { return id.trim(); });
          if (!context.trustedNetwork && clients.indexOf(context.clientID) !== -1) {
            context.multifactor = { provider: 'any', allowRememberBrowser: true };
          }
          callback(null, user, context);
        }
        """;

    /// <summary>Put the roles in the ID token; require MFA, without remember-browser, for admins outside the corporate networks.</summary>
    public const string AdminMfa = """
        function adminMfa(user, context, callback) {
          const roles = (user.app_metadata && user.app_metadata.roles) || [];
          context.idToken['https://rulesmfa.example/roles'] = roles;
          if (roles.indexOf('admin') !== -1 && !context.trustedNetwork) {
            context.multifactor = { provider: 'any', allowRememberBrowser: false };
          }
          callback(null, user, context);
        }
        """;

    /// <summary>Require MFA for users who opted in, unless a Rule before already asked for it.</summary>
    public const string OptInMfa = """
        function optInMfa(user, context, callback) {
          const optedIn = !!(user.user_metadata && user.user_metadata.use_mfa === true);
          if (optedIn && !context.multifactor) {
            context.multifactor = { provider: 'any', allowRememberBrowser: true };
          }
          callback(null, user, context);
        }
        """;

    /// <summary>Ask for MFA once per session: skip it when the user completed MFA within the last hours.</summary>
    public const string MfaOncePerSession = """
        function mfaOncePerSession(user, context, callback) {
          if (!context.multifactor) {
            return callback(null, user, context);
          }
          const hours = parseInt(configuration.MFA_SESSION_HOURS || '12', 10);
          const methods = (context.authentication && context.authentication.methods) || [];
          const lastMfa = methods
            .filter(function (method) { return method.name === 'mfa'; })
            .reduce(function (latest, method) { return Math.max(latest, method.timestamp || 0); }, 0);
          if (lastMfa > 0 && Date.now() - lastMfa < hours * 60 * 60 * 1000) {
            delete context.multifactor;
          }
          callback(null, user, context);
        }
        """;

    /// <summary>Deny the payroll application outside office hours (Monday to Friday, 08:00 to 18:00 UTC).</summary>
    public const string OfficeHours = """
        function officeHours(user, context, callback) {
          if (context.clientID !== configuration.OFFICE_HOURS_CLIENT) {
            return callback(null, user, context);
          }
          const now = new Date();
          const day = now.getUTCDay();
          const hour = now.getUTCHours();
          if (day === 0 || day === 6 || hour < 8 || hour >= 18) {
            return callback(new UnauthorizedError('This application is only available Monday to Friday, 08:00 to 18:00 UTC.'));
          }
          callback(null, user, context);
        }
        """;

    /// <summary>Action: require MFA from a country the user has not logged in from, or when the risk assessment is low.</summary>
    public const string NewCountry = """
        exports.onExecutePostLogin = async (event, api) => {
          const country = event.request.geoip && event.request.geoip.countryCode;
          const known = event.user.app_metadata.known_countries || [];
          const risk = event.authentication && event.authentication.riskAssessment;
          const lowConfidence = !!risk && risk.confidence === 'low';
          const newCountry = !!country && known.indexOf(country) === -1;
          if (newCountry || lowConfidence) {
            api.multifactor.enable('any', { allowRememberBrowser: false });
          }
          if (newCountry) {
            api.user.setAppMetadata('pending_country', country);
          }
        };
        """;

    /// <summary>Action: step up to MFA when the application asks for it in <c>acr_values</c>.</summary>
    public const string StepUpAcr = """
        const MFA_POLICY = 'http://schemas.openid.net/pape/policies/2007/06/multi-factor';

        exports.onExecutePostLogin = async (event, api) => {
          const requested = (event.transaction && event.transaction.acr_values) || [];
          if (requested.includes(MFA_POLICY)) {
            api.multifactor.enable('any', { allowRememberBrowser: false });
            api.idToken.setCustomClaim('https://rulesmfa.example/step_up', true);
          }
        };
        """;

    /// <summary>The ten rules by id, in the tenant's order.</summary>
    public static IReadOnlyList<(string Id, string Text)> Sources { get; } =
    [
        ("010-deny-unverified-email", DenyUnverifiedEmail),
        ("020-blocklisted-ips", BlocklistedIps),
        ("030-trusted-network", TrustedNetwork),
        ("040-client-mfa-list", ClientMfaList),
        ("050-admin-mfa", AdminMfa),
        ("060-opt-in-mfa", OptInMfa),
        ("070-mfa-once-per-session", MfaOncePerSession),
        ("080-office-hours", OfficeHours),
        ("090-new-country", NewCountry),
        ("100-step-up-acr", StepUpAcr),
    ];

    /// <summary>Compiles all ten rules; checks that eight are Rules and two are Actions.</summary>
    public static IReadOnlyList<CompiledRule> CompileAll()
    {
        var compiled = Sources.Select(source => RuleCompiler.Shared.Compile(RuleSource.Inline(source.Id, source.Text))).ToList();
        var actions = compiled.Count(rule => rule.Kind == RuleKind.Action);
        if (actions != 2 || compiled.Count != 10)
        {
            throw new InvalidOperationException($"Expected 8 Rules and 2 Actions, compiled {compiled.Count - actions} Rules and {actions} Actions.");
        }

        return compiled;
    }

    /// <summary>8 Rules that only call back and 2 Actions that do nothing: the same shape as the policy, without its work.</summary>
    public static IReadOnlyList<CompiledRule> CompileEmptyRules() =>
    [
        .. Enumerable.Range(1, 8).Select(index => RuleCompiler.Shared.Compile(RuleSource.Inline(
            $"empty-rule-{index}", $"function empty{index}(user, context, callback) {{ callback(null, user, context); }}"))),
        .. Enumerable.Range(1, 2).Select(index => RuleCompiler.Shared.Compile(RuleSource.Inline(
            $"empty-action-{index}", $"exports.onExecutePostLogin = async (event, api) => {{}}; // {index}"))),
    ];

    /// <summary>Compiles the admin rule alone.</summary>
    public static CompiledRule CompileAdminRule() => RuleCompiler.Shared.Compile(RuleSource.Inline("050-admin-mfa", AdminMfa));
}
