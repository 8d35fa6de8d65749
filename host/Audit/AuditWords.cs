using System.Text.Json;
using RulesMfa.Engine.Policy;

namespace RulesMfa.Host.Audit;

/// <summary>
/// Outcomes, rule statuses and plans in audit lines as the decision's JSON and DESIGN spell them (<c>mfa</c>, <c>timeout</c>,
/// <c>challenge</c>), never as C# names (<c>Mfa</c>, <c>Timeout</c>, <c>Challenge</c>).
/// </summary>
internal static class AuditWords
{
    public static string Of(Enum value) => JsonNamingPolicy.CamelCase.ConvertName(value.ToString());

    public static string Of(FactorPlan plan) => JsonNamingPolicy.CamelCase.ConvertName(plan.GetType().Name);
}
