namespace RulesMfa.Host.Admin.Users;

/// <summary>A user as the console lists them.</summary>
public sealed record UserSummary(string Id, string Email, string? Name);

/// <summary>
/// One enrolled factor, by name only: nothing of its secret, number or key. <see cref="Standalone"/> is false for one that
/// counts only next to another factor (the verified account email), which a reset does not remove.
/// </summary>
public sealed record EnrolledFactorName(string Type, string Name, bool Standalone);

/// <summary>A user with what support needs: their factors (names only) and how many browsers skip MFA for them.</summary>
public sealed record UserDetail(
    string Id, string Email, string? Name, bool IsAdmin, DateTimeOffset CreatedAt, DateTimeOffset? LastLogin, int LoginsCount,
    IReadOnlyList<EnrolledFactorName> Factors, int RememberedBrowsers);

/// <summary>What "Reset MFA" removed: each factor's count, the browsers forgotten, and the authorizations and tokens revoked with them.</summary>
public sealed record MfaResetResult(IReadOnlyList<RemovedFactors> Removed, int BrowsersForgotten, long AuthorizationsRevoked, long TokensRevoked);

/// <summary>How many enrollments of one factor were removed.</summary>
public sealed record RemovedFactors(string Type, string Name, int Count);
