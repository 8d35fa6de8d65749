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

    public static IResult NotFound(string what) =>
        TypedResults.Problem(title: "Not found.", detail: what, statusCode: StatusCodes.Status404NotFound);

    public static IResult Conflict(string what) =>
        TypedResults.Problem(title: "Conflict.", detail: what, statusCode: StatusCodes.Status409Conflict);

    public static IResult Refused(AdminCaller caller) =>
        TypedResults.Problem(title: caller.Status == StatusCodes.Status401Unauthorized ? "Not signed in." : "Not allowed.",
            detail: caller.Problem, statusCode: caller.Status);

    private static string Describe(FieldError error) =>
        error.Line is { } line ? $"{error.Field} ({line}:{error.Column}): {error.Message}" : $"{error.Field}: {error.Message}";
}
