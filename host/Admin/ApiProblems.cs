using RulesMfa.Host.Admission;

namespace RulesMfa.Host.Admin;

/// <summary>RFC 9457 problem details for the admin API: what is wrong and where, never a stack trace.</summary>
public static class ApiProblems
{
    public static IResult Invalid(IReadOnlyList<FieldError> errors) => TypedResults.Problem(
        title: "The request is invalid.",
        detail: string.Join("; ", errors.Select(Describe)),
        statusCode: StatusCodes.Status400BadRequest,
        extensions: new Dictionary<string, object?> { ["errors"] = errors });

    public static IResult TestsFailed(TestReport tests) => TypedResults.Problem(
        title: "The rule's tests failed; nothing was saved.",
        detail: $"{tests.Failed} of {tests.Cases} test cases failed. Fix the rule or its tests, or save with \"force\": true (audited).",
        statusCode: StatusCodes.Status422UnprocessableEntity,
        extensions: new Dictionary<string, object?> { ["tests"] = tests });

    /// <summary>A deploy refused because of these rules (their errors or failed tests); nothing was deployed.</summary>
    public static IResult DeployRefused(IReadOnlyDictionary<string, RuleSaveOutcome> rules) => TypedResults.Problem(
        title: "The draft was not deployed.",
        detail: "Nothing was deployed: " + string.Join("; ", rules.Select(rule => rule.Value switch
        {
            RuleSaveOutcome.Invalid invalid => $"{rule.Key}: {string.Join(", ", invalid.Errors.Select(Describe))}",
            RuleSaveOutcome.TestsFailed failed => $"{rule.Key}: {failed.Tests.Failed} of {failed.Tests.Cases} test cases failed",
            _ => $"{rule.Key}: refused",
        })) + ". Fix them, or deploy even though tests fail (audited).",
        statusCode: StatusCodes.Status422UnprocessableEntity,
        extensions: new Dictionary<string, object?>
        {
            ["rules"] = rules.ToDictionary(rule => rule.Key, rule => rule.Value switch
            {
                RuleSaveOutcome.Invalid invalid => (object)new { errors = invalid.Errors },
                RuleSaveOutcome.TestsFailed failed => new { tests = failed.Tests },
                _ => new { },
            }),
        });

    public static IResult NotFound(string what) =>
        TypedResults.Problem(title: "Not found.", detail: what, statusCode: StatusCodes.Status404NotFound);

    public static IResult Conflict(string what) =>
        TypedResults.Problem(title: "Conflict.", detail: what, statusCode: StatusCodes.Status409Conflict);

    public static IResult TooLarge(int maxBytes) => TypedResults.Problem(
        title: "The request body is too large.", detail: $"The body holds at most {maxBytes:N0} bytes.",
        statusCode: StatusCodes.Status413PayloadTooLarge);

    /// <summary>A 429 whose <c>Retry-After</c> says when the tenant's evaluations may have room again.</summary>
    public static IResult Busy(HttpResponse response, AdmissionResult.Refused refused)
    {
        response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(refused.RetryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return TypedResults.Problem(title: "Too many rule evaluations; try again later.", detail: refused.Problem, statusCode: StatusCodes.Status429TooManyRequests);
    }

    public static IResult Refused(AdminCaller caller) =>
        TypedResults.Problem(title: caller.Status == StatusCodes.Status401Unauthorized ? "Not signed in." : "Not allowed.",
            detail: caller.Problem, statusCode: caller.Status);

    private static string Describe(FieldError error) =>
        error.Line is { } line ? $"{error.Field} ({line}:{error.Column}): {error.Message}" : $"{error.Field}: {error.Message}";
}
