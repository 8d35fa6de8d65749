using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;
using RulesMfa.Host.Tenants;

namespace RulesMfa.Tests.Tenants;

public sealed class SandboxServerOptionsTests
{
    [Test]
    public void Bind_MaximumOutsideItsRange_FailsValidationNamingTheKey()
    {
        var options = Bind(new() { ["Sandbox:Maximums:RuleTimeout"] = "00:02:00", ["Sandbox:Maximums:MaxStatements"] = "2000000" });

        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        var problems = results.Select(result => result.ErrorMessage).ToList();

        Assert.Multiple(() =>
        {
            Assert.That(options.Maximums.MaxStatements, Is.EqualTo(2_000_000), "bound into the default maximums");
            Assert.That(options.Maximums.PipelineTimeout, Is.EqualTo(TimeSpan.FromSeconds(10)), "the other maximums keep their defaults");
            Assert.That(problems, Has.Count.EqualTo(1));
            Assert.That(problems[0], Does.StartWith("Sandbox:Maximums:RuleTimeout: "));
        });
    }

    [Test]
    public void Defaults_AreValid()
    {
        var options = Bind([]);

        Assert.That(Validator.TryValidateObject(options, new ValidationContext(options), [], validateAllProperties: true), Is.True);
    }

    private static SandboxServerOptions Bind(Dictionary<string, string?> settings)
    {
        var options = new SandboxServerOptions();
        new ConfigurationBuilder().AddInMemoryCollection(settings).Build().GetSection(SandboxServerOptions.SectionName).Bind(options);
        return options;
    }
}
