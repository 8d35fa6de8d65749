namespace RulesMfa.Host.MfaApi;

/// <summary>
/// The MFA API's errors as Auth0 words them (<c>notes/mfa-api-facts.md</c>): <c>{"error", "error_description"}</c> with
/// the status Auth0 answers, so that clients comparing the strings (Auth0.Android, auth0-auth-js) recognise them.
/// </summary>
public static class MfaApiErrors
{
    public const string MalformedToken = "Malformed mfa_token";
    public const string ExpiredToken = "mfa_token is expired";
    public const string OtherClient = "mfa_token not issued to this client";
    public const string AlreadyEnrolled = "User is already enrolled";
    public const string InvalidOtp = "Invalid otp_code.";
    public const string InvalidBindingCode = "Invalid binding_code.";
    public const string InvalidRecoveryCode = "Invalid recovery_code.";
    public const string Rejected = "MFA Authorization rejected.";
    public const string Pending = "Authorization pending: please repeat the request in a few seconds.";
    public const string MfaRequired = "Multifactor authentication required";

    public static IResult Error(int status, string error, string description) =>
        Results.Json(new Dictionary<string, string> { ["error"] = error, ["error_description"] = description }, statusCode: status);

    public static IResult Malformed() => Error(StatusCodes.Status403Forbidden, "invalid_grant", MalformedToken);

    public static IResult Expired() => Error(StatusCodes.Status403Forbidden, "expired_token", ExpiredToken);

    public static IResult NotThisClient() => Error(StatusCodes.Status400BadRequest, "invalid_request", OtherClient);

    public static IResult Missing(string parameter) => Error(StatusCodes.Status400BadRequest, "invalid_request", $"Missing required parameter: {parameter}");

    public static IResult TooManyAttempts(TimeSpan retryAfter) => Error(StatusCodes.Status429TooManyRequests, "too_many_attempts",
        $"Too many failed attempts. Wait {Math.Max(1, (int)Math.Ceiling(retryAfter.TotalMinutes))} minute(s) and try again.");

    public static IResult Forbidden(string description) => Error(StatusCodes.Status403Forbidden, "access_denied", description);
}
