using RulesMfa.Engine.Evaluation;
using RulesMfa.Host.Admin;

namespace RulesMfa.Host.Tenants;

/// <summary>A tenant's rules ready to run: the pipeline, the settings it was built with, and what hides its secret configuration.</summary>
public sealed record TenantPipeline(RulePipeline Pipeline, TenantSettings Settings, SecretRedaction Secrets);
