using RulesMfa.Engine.Compilation;

namespace RulesMfa.Tests.Compilation;

public sealed class RuleCompilerTests
{
    private readonly RuleCompiler compiler = new();

    [Test]
    public void Compile_WithSyntaxError_ReportsOneBasedLineAndColumn()
    {
        var source = RuleSource.Inline("office-hours", "function (user, context, callback) {\n  var ok = ;\n}");

        var error = Assert.Throws<RuleCompilationException>(() => compiler.Compile(source));

        Assert.Multiple(() =>
        {
            Assert.That(error!.Line, Is.EqualTo(2));
            Assert.That(error.Column, Is.EqualTo(12));
            Assert.That(error.Description, Does.Contain("Unexpected token"));
            Assert.That(error.Message, Does.StartWith("office-hours:2:12: "));
        });
    }

    [Test]
    public void Compile_WithARegexLiteralOverTheLimit_ReportsWhereAndHowLong()
    {
        var source = RuleSource.Inline("long-regex", "function (user, context, callback) {\n  /" + new string('a', 10_001) + "/.test('a');\n}");

        var error = Assert.Throws<RuleCompilationException>(() => compiler.Compile(source));

        Assert.That(error!.Message, Is.EqualTo("long-regex:2:3: a regular expression literal of 10,001 characters is longer than the limit of 10,000"));
    }

    [Test]
    public void Compile_WithABigIntLiteral_SaysBigIntIsNotAvailable()
    {
        var source = RuleSource.Inline("bigint", "function (user, context, callback) {\n  const x = 2n ** 999999n;\n}");

        var error = Assert.Throws<RuleCompilationException>(() => compiler.Compile(source));

        Assert.That(error!.Message, Is.EqualTo("bigint:2:13: BigInt is not available to rules"));
    }

    [Test]
    public void Compile_WithSyntaxErrorOnFirstLine_ReportsColumnOfTheRuleText()
    {
        var source = RuleSource.Inline("r", "function (user, context, callback) { var = 1; }");

        var error = Assert.Throws<RuleCompilationException>(() => compiler.Compile(source));

        Assert.That((error!.Line, error.Column), Is.EqualTo((1, 42)));
    }

    [Test]
    public void Compile_ActionWithSyntaxError_ReportsColumnOfTheActionText()
    {
        var source = RuleSource.Inline("a", "exports.onExecutePostLogin = async (event, api) => { api. };");

        var error = Assert.Throws<RuleCompilationException>(() => compiler.Compile(source));

        Assert.That((error!.Line, error.Column), Is.EqualTo((1, 59)));
    }

    [TestCase("function (user, context, callback) { callback(null, user, context); }", "r")]
    [TestCase("function mfaForAdmins(user, context, callback) { callback(null, user, context); }", "mfaForAdmins")]
    [TestCase("async function (user, context, callback) { callback(null, user, context); }", "r")]
    [TestCase("(user, context, cb) => { cb(null, user, context); }", "r")]
    [TestCase("async (u, c, done) => done(null, u, c)", "r")]
    [TestCase("/* leading */\n// comment\nfunction (user, context, callback) { callback(null, user, context); };\n// trailing", "r")]
    public void Compile_AnyRuleFunctionForm_IsARuleNamedAfterItsFunction(string text, string expectedName)
    {
        var rule = compiler.Compile(RuleSource.Inline("r", text));

        Assert.Multiple(() =>
        {
            Assert.That(rule.Kind, Is.EqualTo(RuleKind.Rule));
            Assert.That(rule.Name, Is.EqualTo(expectedName));
        });
    }

    [TestCase("function (user, context) { }", "three parameters")]
    [TestCase("var x = 1;", "function expression")]
    [TestCase("function (a, b, c) { }\nfoo();", "single function expression")]
    [TestCase("function named(a, b, c) { }\nfunction other(a, b, c) { }", "single function expression")]
    public void Compile_NotOneThreeParameterFunction_IsAShapeError(string text, string expected)
    {
        var error = Assert.Throws<RuleCompilationException>(() => compiler.Compile(RuleSource.Inline("bad", text)));

        Assert.That(error!.Description, Does.Contain(expected));
    }

    [Test]
    public void Compile_ModuleWithoutOnExecutePostLogin_SaysTheExportIsMissing()
    {
        var source = RuleSource.Inline("a", "exports.onExecutePreUserRegistration = async (event, api) => {};");

        var error = Assert.Throws<RuleCompilationException>(() => compiler.Compile(source));

        Assert.Multiple(() =>
        {
            Assert.That(error!.Description, Does.StartWith("no onExecutePostLogin export"));
            Assert.That((error.Line, error.Column), Is.EqualTo((1, 1)));
        });
    }

    [TestCase("exports.onExecutePostLogin = async (event, api) => {};")]
    [TestCase("module.exports.onExecutePostLogin = async function (event, api) {};")]
    [TestCase("const helper = 1;\nmodule.exports = { onExecutePostLogin: async (event, api) => {} };")]
    [TestCase("async function handler(event, api) {}\nexports.onExecutePostLogin = handler;")]
    public void Compile_ModuleExportingOnExecutePostLogin_IsAnAction(string text)
    {
        var rule = compiler.Compile(RuleSource.Inline("a", text));

        Assert.Multiple(() =>
        {
            Assert.That(rule.Kind, Is.EqualTo(RuleKind.Action));
            Assert.That(rule.Name, Is.EqualTo("a"));
        });
    }

    [Test]
    public void Compile_SameTextTwice_ReusesTheParsedScript()
    {
        const string text = "function (user, context, callback) { callback(null, user, context); }";

        var first = compiler.Compile(RuleSource.Inline("one", text));
        var second = compiler.Compile(RuleSource.Inline("two", text));

        Assert.Multiple(() =>
        {
            Assert.That(second.Script.Program, Is.SameAs(first.Script.Program));
            Assert.That(second.VersionHash, Is.EqualTo(first.VersionHash));
            Assert.That(second.Id, Is.EqualTo("two"));
        });
    }

    [Test]
    public void VersionHash_IsSha256OfTheText()
    {
        var hash = RuleCompiler.VersionHashOf("abc");

        Assert.That(hash, Is.EqualTo("sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
    }
}
