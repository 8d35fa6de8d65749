using RulesMfa.Host.Factors.Phone;

namespace RulesMfa.Tests.Factors.Phone;

/// <summary>Message templates in Liquid: Auth0's defaults, a tenant's own, voice digits, and the bounds of a hostile template.</summary>
public sealed class PhoneTemplatesTests
{
    [Test]
    public async Task Render_Defaults_AreAuth0sMessages()
    {
        var verification = await PhoneTemplates.RenderAsync(PhoneTemplates.DefaultVerificationMessage, "042917", PhoneChannel.Sms, "Acme", "en");
        var enrollment = await PhoneTemplates.RenderAsync(PhoneTemplates.DefaultEnrollmentMessage, "042917", PhoneChannel.Sms, "Acme", "en");

        Assert.Multiple(() =>
        {
            Assert.That(verification, Is.EqualTo("042917 is your verification code for Acme"));
            Assert.That(enrollment, Is.EqualTo("042917 is your verification code for Acme. Please enter this code to verify your enrollment."));
        });
    }

    [Test]
    public async Task Render_CustomTemplate_SeesEveryVariable()
    {
        const string Template = "{% if locale contains 'fr' %}Votre code {{ tenant.friendly_name }} : {{ code }}{% else %}{{ code }}{% endif %} ({{ message_type }})";

        var french = await PhoneTemplates.RenderAsync(Template, "042917", PhoneChannel.Sms, "Acme", "fr-CA");
        var other = await PhoneTemplates.RenderAsync(Template, "042917", PhoneChannel.Sms, "Acme", "en");

        Assert.Multiple(() =>
        {
            Assert.That(french, Is.EqualTo("Votre code Acme : 042917 (sms)"));
            Assert.That(other, Is.EqualTo("042917 (sms)"));
        });
    }

    [Test]
    public async Task Render_Voice_ReadsTheCodeDigitByDigit()
    {
        var spoken = await PhoneTemplates.RenderAsync(PhoneTemplates.DefaultVerificationMessage, "042917", PhoneChannel.Voice, "Acme", "en");

        Assert.That(spoken, Is.EqualTo("0, 4, 2, 9, 1, 7 is your verification code for Acme"));
    }

    [TestCase("{{ code }} for\n{% if %}", 2, 6, "Invalid 'if' tag")]
    [TestCase("Line one\nLine two\n{{ code | }}", 3, 10, "identifier was expected")]
    [TestCase("{{ code", 1, 8, "'}}' was expected")]
    public void Problem_TemplateThatDoesNotParse_NamesItsLineAndColumn(string template, int line, int column, string what)
    {
        var problem = PhoneTemplates.Problem(template);

        Assert.Multiple(() =>
        {
            Assert.That((problem!.Line, problem.Column), Is.EqualTo((line, column)));
            Assert.That(problem.Message, Does.StartWith("is not valid Liquid: ").And.Contain(what).And.Not.Contain("\n"));
        });
    }

    [TestCase("", "must not be empty")]
    [TestCase("Your code is ready", "must show the code")]
    [TestCase("{% if locale == 'fr' %}{{ code }}{% endif %}", "must show the code")]
    [TestCase("{{ code }}{% for i in (1..900) %}{% for j in (1..900) %}{% endfor %}{% endfor %}", "breaks a rendering limit")]
    public void Problem_TemplateWithoutACode_IsRefused(string template, string expected) =>
        Assert.That(PhoneTemplates.Problem(template)!.Message, Does.Contain(expected));

    [Test]
    public void Problem_TemplateLongerThanTheLimit_IsRefused() =>
        Assert.That(PhoneTemplates.Problem("{{code}}" + new string('x', PhoneTemplates.MaxTemplateLength))!.Message, Does.Contain("at most 1,000 characters"));

    [Test]
    public void Render_OutputOverTheMessageLimit_IsRefusedNotCut()
    {
        var error = Assert.ThrowsAsync<PhoneTemplateException>(() =>
            PhoneTemplates.RenderAsync("{{code}}{% for i in (1..400) %}xxxxx{% endfor %}", "042917", PhoneChannel.Sms, "Acme", "en"));

        Assert.That(error!.Message, Does.Contain("1600 characters"));
    }

    [Test]
    public void Render_EndlessLoop_StopsAtTheStepLimit()
    {
        var error = Assert.ThrowsAsync<PhoneTemplateException>(() =>
            PhoneTemplates.RenderAsync("{{code}}{% for i in (1..900) %}{% for j in (1..900) %}{% endfor %}{% endfor %}", "042917", PhoneChannel.Sms, "Acme", "en"));

        Assert.That(error!.Message, Does.Contain($"{PhoneTemplates.MaxSteps} steps"));
    }
}
