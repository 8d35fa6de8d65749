using System.Net;
using RulesMfa.Engine.Decisions;

namespace RulesMfa.Benchmarks;

/// <summary>
/// <see cref="TenRulePolicy"/> written by hand in C#, as a tenant without a rules engine would: the
/// configuration is parsed once, each login runs the same ten checks in the same order, and a later MFA
/// request replaces an earlier one, as in the pipeline.
/// </summary>
public sealed class PlainCSharpPolicy
{
    private readonly IPNetwork[] trustedNetworks;
    private readonly HashSet<string> blockedIps;
    private readonly HashSet<string> mfaClients;
    private readonly string? officeHoursClient;
    private readonly TimeSpan mfaSession;
    private readonly TimeProvider clock;

    public PlainCSharpPolicy(IReadOnlyDictionary<string, string> configuration, TimeProvider clock)
    {
        this.clock = clock;
        trustedNetworks = List(configuration, "TRUSTED_CIDRS").Select(IPNetwork.Parse).ToArray();
        blockedIps = new HashSet<string>(List(configuration, "BLOCKED_IPS"), StringComparer.Ordinal);
        mfaClients = new HashSet<string>(List(configuration, "MFA_CLIENTS"), StringComparer.Ordinal);
        officeHoursClient = configuration.GetValueOrDefault("OFFICE_HOURS_CLIENT");
        mfaSession = TimeSpan.FromHours(int.Parse(configuration.GetValueOrDefault("MFA_SESSION_HOURS") ?? "12", System.Globalization.CultureInfo.InvariantCulture));
    }

    public PolicyDecision Evaluate(LoginFacts login)
    {
        // 010 deny unverified email
        if (!login.EmailVerified)
        {
            return PolicyDecision.Deny("Please verify your email address before logging in.");
        }

        // 020 blocklisted IPs
        if (blockedIps.Contains(login.Ip))
        {
            return PolicyDecision.Deny("Logins from this IP address are blocked.");
        }

        // 030 trusted network (IPv4 CIDRs)
        var trusted = IPAddress.TryParse(login.Ip, out var address)
            && address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork
            && IsTrusted(address);

        // 040 per-client MFA list
        MfaRequest? mfa = null;
        if (!trusted && mfaClients.Contains(login.ClientId))
        {
            mfa = new MfaRequest(AllowRememberBrowser: true);
        }

        // 050 admins: roles claim; MFA without remember-browser outside the trusted networks
        var rolesClaim = login.Roles;
        if (!trusted && login.Roles.Contains("admin"))
        {
            mfa = new MfaRequest(AllowRememberBrowser: false);
        }

        // 060 opt-in MFA
        if (login.UseMfa && mfa is null)
        {
            mfa = new MfaRequest(AllowRememberBrowser: true);
        }

        // 070 MFA once per session
        var now = clock.GetUtcNow();
        if (mfa is not null)
        {
            long lastMfa = 0;
            foreach (var method in login.Methods)
            {
                if (method.Name == "mfa" && method.Timestamp > lastMfa)
                {
                    lastMfa = method.Timestamp;
                }
            }

            if (lastMfa > 0 && now.ToUnixTimeMilliseconds() - lastMfa < (long)mfaSession.TotalMilliseconds)
            {
                mfa = null;
            }
        }

        // 080 office hours for one client
        if (login.ClientId == officeHoursClient
            && (now.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday || now.Hour < 8 || now.Hour >= 18))
        {
            return PolicyDecision.Deny("This application is only available Monday to Friday, 08:00 to 18:00 UTC.");
        }

        // 090 (Action) new country or low-confidence risk assessment
        var newCountry = login.CountryCode is { Length: > 0 } country && !login.KnownCountries.Contains(country);
        if (newCountry || login.RiskConfidence == "low")
        {
            mfa = new MfaRequest(AllowRememberBrowser: false);
        }

        var pendingCountry = newCountry ? login.CountryCode : null;

        // 100 (Action) step-up on acr_values
        var stepUp = login.AcrValues.Contains(TenRulePolicy.MfaAcrValue);
        if (stepUp)
        {
            mfa = new MfaRequest(AllowRememberBrowser: false);
        }

        return new PolicyDecision(mfa is null ? DecisionOutcome.Allow : DecisionOutcome.Mfa, mfa, null, rolesClaim, stepUp, pendingCountry);
    }

    private bool IsTrusted(IPAddress address)
    {
        foreach (var network in trustedNetworks)
        {
            if (network.Contains(address))
            {
                return true;
            }
        }

        return false;
    }

    private static IEnumerable<string> List(IReadOnlyDictionary<string, string> configuration, string name) =>
        (configuration.GetValueOrDefault(name) ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
}

/// <summary>An MFA request with any factor.</summary>
public sealed record MfaRequest(bool AllowRememberBrowser);

/// <summary>What the hand-written policy decided: the outcome and what the rules would also have produced.</summary>
public sealed record PolicyDecision(
    DecisionOutcome Outcome,
    MfaRequest? Mfa,
    string? DenyReason,
    IReadOnlyList<string>? RolesClaim,
    bool StepUpClaim,
    string? PendingCountry)
{
    public static PolicyDecision Deny(string reason) => new(DecisionOutcome.Deny, null, reason, null, false, null);
}
