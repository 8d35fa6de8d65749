namespace RulesMfa.Host.Factors;

/// <summary>One enrollment of a factor, as the policy and the rules' inputs see it.</summary>
/// <param name="Type">The factor type.</param>
/// <param name="Provider">The name Rules' <c>user.multifactor</c> lists for it, if Auth0 lists one (<c>google-authenticator</c>).</param>
/// <param name="Standalone">
/// False for an enrollment that counts only next to another factor (a verified account email is a second way in once
/// another factor is enrolled, as at Auth0).
/// </param>
public sealed record FactorEnrollment(string Type, string? Provider = null, bool Standalone = true)
{
    /// <summary>What the rules see of this enrollment besides its type (<c>{"phone_number": "XXXXXXXX67"}</c>), or null.</summary>
    public System.Text.Json.Nodes.JsonObject? Options { get; init; }
}
