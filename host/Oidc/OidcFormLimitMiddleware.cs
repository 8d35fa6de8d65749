using RulesMfa.Host.Admin;

namespace RulesMfa.Host.Oidc;

/// <summary>
/// Reads the form posted to an OpenID Connect endpoint (token, authorize, userinfo, logout) before OpenIddict does, so
/// that a body over Kestrel's limit (<see cref="JsonBody.MaxBytes"/>), announced or chunked, is a 413 with an OAuth error
/// naming the limit; OpenIddict, which reads the same cached form afterwards, would answer a bare 400 for it.
/// </summary>
internal sealed class OidcFormLimitMiddleware(RequestDelegate next)
{
    private static readonly PathString[] FormEndpoints = ["/connect/token", "/connect/authorize", "/connect/userinfo", "/connect/logout"];

    public async Task InvokeAsync(HttpContext http)
    {
        var request = http.Request;
        if (HttpMethods.IsPost(request.Method) && request.HasFormContentType && IsFormEndpoint(request.Path))
        {
            try
            {
                await request.ReadFormAsync(http.RequestAborted);
            }
            catch (BadHttpRequestException tooLarge) when (tooLarge.StatusCode == StatusCodes.Status413PayloadTooLarge)
            {
                await Refuse(http, StatusCodes.Status413PayloadTooLarge, $"The request body is too large: at most {JsonBody.MaxBytes:N0} bytes.");
                return;
            }
            catch (InvalidDataException unreadable)
            {
                // The form reader's own limits (value count, key and value length): its message names the limit.
                await Refuse(http, StatusCodes.Status400BadRequest, $"The form cannot be read: {unreadable.Message}");
                return;
            }
        }

        await next(http);
    }

    private static bool IsFormEndpoint(PathString path) =>
        Array.Exists(FormEndpoints, endpoint => path.Equals(endpoint, StringComparison.OrdinalIgnoreCase));

    private static Task Refuse(HttpContext http, int status, string description) =>
        Results.Json(new Dictionary<string, string> { ["error"] = "invalid_request", ["error_description"] = description }, statusCode: status).ExecuteAsync(http);
}
