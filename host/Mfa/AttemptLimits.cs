using System.ComponentModel.DataAnnotations;

namespace RulesMfa.Host.Mfa;

/// <summary>
/// How many wrong MFA codes and passwords are tolerated, shared by <see cref="CodeAttempts"/> and
/// <see cref="Login.PasswordLockout"/>. The code defaults are Auth0's: 10 attempts, one back every 6 minutes.
/// </summary>
public sealed class AttemptLimits
{
    /// <summary>Wrong codes a user may enter in a row before having to wait; also the most a bucket refills to. Default 10.</summary>
    [Range(1, 1_000)]
    public int BucketCapacity { get; set; } = 10;

    /// <summary>Time for one code attempt to come back (a full bucket takes capacity times this). Default 6 minutes.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan RefillInterval { get; set; } = TimeSpan.FromMinutes(6);

    /// <summary>Password failures per account before each further failure blocks the account. Default 5.</summary>
    [Range(1, 1_000)]
    public int FreePasswordFailures { get; set; } = 5;

    /// <summary>
    /// Password failures per client address, across its accounts, before each further failure blocks the address.
    /// Default 100, as Auth0's suspicious-IP throttling: an address many people share (an office, a carrier's NAT) carries
    /// their typos and their simultaneous sign-ins, each counted from its reservation until its password is verified.
    /// </summary>
    [Range(1, 100_000)]
    public int FreeAddressPasswordFailures { get; set; } = 100;

    /// <summary>
    /// Longest block after a password failure. Failure n past the free ones blocks for 2^n seconds (2 s, 4 s, 8 s, ...)
    /// up to this. Default 15 minutes, reached at the 15th failure in a row.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan MaxPasswordBlock { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// A password counter with no failure for this long starts again from zero, so an IP shared by many people
    /// (which a success never resets) is not blocked for good by typos spread over weeks. Default 1 day.
    /// </summary>
    [Range(typeof(TimeSpan), "00:01:00", "365.00:00:00")]
    public TimeSpan ForgetPasswordFailuresAfter { get; set; } = TimeSpan.FromDays(1);

    /// <summary>Throws <see cref="ValidationException"/> naming the first field out of range.</summary>
    public void Validate() => Validator.ValidateObject(this, new ValidationContext(this), validateAllProperties: true);
}
