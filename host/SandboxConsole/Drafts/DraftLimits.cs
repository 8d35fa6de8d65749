using RulesMfa.Host.Admin;

namespace RulesMfa.Host.SandboxConsole.Drafts;

/// <summary>A draft obeys the limits of saved rules: at most as many rules as a tenant holds, each with an id, a source of bounded length and bounded tests.</summary>
internal static class DraftLimits
{
    /// <summary>What is wrong with the draft, field by field (<c>rules[2].source</c>); empty when nothing is.</summary>
    public static List<FieldError> Problems(IReadOnlyList<DraftRule?> drafts)
    {
        if (drafts.Count > RuleStore.MaxRulesPerTenant)
        {
            return [new FieldError("rules", $"a draft holds at most {RuleStore.MaxRulesPerTenant} rules, as a tenant does")];
        }

        var errors = new List<FieldError>();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (draft, index) in drafts.Select((draft, index) => (draft, index)))
        {
            if (string.IsNullOrEmpty(draft?.Id))
            {
                errors.Add(new FieldError($"rules[{index}].id", "each rule needs an id"));
            }
            else if (!ids.Add(draft.Id))
            {
                errors.Add(new FieldError($"rules[{index}].id", $"'{draft.Id}' names two rules of the draft"));
            }

            if (draft?.Source is null)
            {
                errors.Add(new FieldError($"rules[{index}].source", "each rule needs its JavaScript source"));
            }
            else if (draft.Source.Length > RuleStore.MaxSourceLength)
            {
                errors.Add(new FieldError($"rules[{index}].source", $"a rule holds at most {RuleStore.MaxSourceLength:N0} characters"));
            }

            if (draft?.Tests is { } tests && tests.ToJsonString().Length > RuleStore.MaxTestsLength)
            {
                errors.Add(new FieldError($"rules[{index}].tests", $"a rule's tests hold at most {RuleStore.MaxTestsLength:N0} characters"));
            }
        }

        return errors;
    }
}
