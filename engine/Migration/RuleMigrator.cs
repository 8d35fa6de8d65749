using Acornima;
using Acornima.Ast;
using RulesMfa.Engine.Compilation;

namespace RulesMfa.Engine.Migration;

/// <summary>
/// Turns a legacy Rule into the equivalent post-login Action, working on Acornima's syntax tree and rewriting only
/// the ranges that change: <c>user</c> → <c>event.user</c>, <c>configuration</c> → <c>event.secrets</c>,
/// <c>context.*</c> reads → <c>event.*</c>, <c>context.multifactor = …</c> → <c>api.multifactor.enable</c>,
/// <c>context.idToken[k] = v</c> → <c>api.idToken.setCustomClaim</c> (and the access token), the metadata updates
/// → <c>api.user.setAppMetadata</c>/<c>setUserMetadata</c>, and the callback → <c>return</c> or
/// <c>api.access.deny(message)</c>. A Rule whose callback is called anywhere but as its last statement or in a
/// <c>return callback(...)</c> of its own body runs inside <c>await new Promise(...)</c>, so that every path keeps
/// its meaning (a path that never calls back still never finishes).
/// </summary>
public static class RuleMigrator
{
    private const string Prefix = "0,";

    /// <exception cref="RuleCompilationException">The text does not compile.</exception>
    /// <exception cref="AlreadyAnActionException">The text is already an Action.</exception>
    public static RuleMigration Migrate(string ruleId, string source)
    {
        var compiled = RuleCompiler.Shared.Compile(RuleSource.Inline(ruleId, source));
        if (compiled.Kind == RuleKind.Action)
        {
            throw new AlreadyAnActionException(ruleId);
        }

        var program = new Parser().ParseScript(Prefix + source + "\n");
        var function = (IFunction)((SequenceExpression)((ExpressionStatement)program.Body[0]).Expression).Expressions[1];
        var names = function.Params.Select(parameter => parameter is Identifier identifier ? identifier.Name : "").ToArray();
        var rewriter = new RuleRewriter(Prefix + source, names[0], names[1], names[2]);
        if (function.Body is not BlockStatement body)
        {
            return new RuleMigration("", ["the rule's body is an expression, not a block"]);
        }

        var direct = CallsBackDirectly(body, names[2]);
        var translated = rewriter.Emit(body, direct);
        var inner = translated.Trim()[1..^1].Trim('\n', '\r');
        var handler = direct ? inner.TrimEnd() : Wrapped(inner, function.Async);
        var helpers = rewriter.NeedsMessageOf || !direct ? $"\nconst {RuleRewriter.MessageOf} = (error) => (error && typeof error.message === 'string' ? error.message : String(error));\n" : "";
        var untranslated = rewriter.Untranslated.Count > 0 ? "\n * Some parts could not be translated: search for 'rulesmfa migrate:'." : "";
        var header = $"/**\n * Migrated by `rulesmfa migrate` from the Rule '{compiled.Name}'.{untranslated}\n */";
        var action = $"{header}{helpers}\nexports.onExecutePostLogin = async (event, api) => {{\n{handler}\n}};\n";
        return new RuleMigration(action, rewriter.Untranslated);
    }

    /// <summary>
    /// True when every callback call is a statement of the rule's own body (not in a nested function) that either
    /// returns it or is the body's last statement, and the body has no other <c>return</c>: then each path ends by
    /// calling back, and <c>return</c> is a faithful translation.
    /// </summary>
    private static bool CallsBackDirectly(BlockStatement body, string callback)
    {
        var allCalls = Descendants(body).OfType<CallExpression>().Count(call => call.Callee is Identifier { } name && name.Name == callback);
        var allUses = Descendants(body).OfType<Identifier>().Count(identifier => identifier.Name == callback);
        if (allUses != allCalls)
        {
            return false;
        }

        var ownStatements = OwnStatements(body).ToList();
        var returnedCalls = ownStatements.OfType<ReturnStatement>().Count(statement => IsCallback(statement.Argument, callback));
        var otherReturns = ownStatements.OfType<ReturnStatement>().Count(statement => !IsCallback(statement.Argument, callback));
        var last = body.Body.LastOrDefault() is ExpressionStatement { Expression: var expression } && IsCallback(expression, callback) ? 1 : 0;
        return allCalls > 0 && otherReturns == 0 && allCalls == returnedCalls + last;
    }

    private static bool IsCallback(Node? node, string callback) => node is CallExpression { Callee: Identifier { } name } && name.Name == callback;

    /// <summary>The statements of a function body, descending into blocks but not into nested functions.</summary>
    private static IEnumerable<Statement> OwnStatements(Node node)
    {
        foreach (var child in node.ChildNodes)
        {
            if (child is IFunction)
            {
                continue;
            }

            if (child is Statement statement)
            {
                yield return statement;
            }

            foreach (var nested in OwnStatements(child))
            {
                yield return nested;
            }
        }
    }

    internal static IEnumerable<Node> Descendants(Node node) => node.ChildNodes.SelectMany(child => Descendants(child).Prepend(child));

    /// <summary>
    /// The body of a Rule that calls back from nested functions or not at the end, inside a promise that its callback
    /// (<c>done</c>) settles: the first call counts, an error denies, and a path that never calls back never settles.
    /// </summary>
    private static string Wrapped(string body, bool async)
    {
        var done =
            $$"""
                let calledBack = false;
                const {{RuleRewriter.Done}} = (error) => {
                  if (calledBack) { return; }
                  calledBack = true;
                  if (error !== null && error !== undefined) { api.access.deny({{RuleRewriter.MessageOf}}(error)); }
                  resolve();
                };
            """;
        return async
            ? "  await new Promise(async (resolve, reject) => {\n" + done + "\n    try {\n" + Indent(Indent(body)) + "\n    } catch (error) {\n      reject(error);\n    }\n  });"
            : "  await new Promise((resolve) => {\n" + done + "\n" + Indent(body) + "\n  });";
    }

    private static string Indent(string text) => string.Join('\n', text.Split('\n').Select(line => line.Length == 0 ? line : "  " + line));
}
