using Acornima;
using Acornima.Ast;

namespace RulesMfa.Engine.Compilation;

/// <summary>Checks that a parsed rule has the shape its form requires, and finds a Rule's function name.</summary>
internal static class RuleShape
{
    private const string ActionHandler = "onExecutePostLogin";

    /// <summary>Returns the function's name (or null when anonymous); throws when the text is not one 3-parameter function.</summary>
    public static string? ValidateRule(RuleSource source, Script program)
    {
        var statements = program.Body.Where(statement => statement is not EmptyStatement).ToList();
        if (statements is not [ExpressionStatement { Expression: SequenceExpression { Expressions: [_, var expression] } }])
        {
            throw ShapeError(source, RuleWrapper.Rule, statements.Count > 1 ? statements[1] : program,
                "a rule must be a single function expression: function (user, context, callback) { ... }");
        }

        return expression switch
        {
            FunctionExpression { Params.Count: 3 } function => function.Id?.Name,
            ArrowFunctionExpression { Params.Count: 3 } => null,
            IFunction function => throw ShapeError(source, RuleWrapper.Rule, expression,
                $"a rule function takes three parameters (user, context, callback), not {function.Params.Count}"),
            _ => throw ShapeError(source, RuleWrapper.Rule, expression,
                "a rule must be a function expression: function (user, context, callback) { ... }"),
        };
    }

    /// <summary>The rule's text parsed as plain statements, or null when it is not valid JavaScript on its own.</summary>
    public static Script? ParsesAsStatements(string text)
    {
        try
        {
            return new Parser().ParseScript(text);
        }
        catch (ParseErrorException)
        {
            return null;
        }
    }

    /// <summary>The shape error for a rule whose text is statements rather than one function expression.</summary>
    public static RuleCompilationException NotAFunction(RuleSource source, Script statements)
    {
        var first = statements.Body.FirstOrDefault(statement => statement is not EmptyStatement) ?? (Node)statements;
        return new RuleCompilationException(source.Id, source.FilePath, first.Location.Start.Line, first.Location.Start.Column + 1,
            "a rule must be a function expression: function (user, context, callback) { ... }");
    }

    /// <summary>Throws unless a top-level statement of the module assigns <c>onExecutePostLogin</c> on its exports.</summary>
    public static void ValidateAction(RuleSource source, Script program)
    {
        var module = (FunctionExpression)((ExpressionStatement)program.Body[0]).Expression;
        var exportsHandler = module.Body.Body
            .OfType<ExpressionStatement>()
            .SelectMany(statement => statement.Expression is SequenceExpression sequence ? sequence.Expressions.AsEnumerable() : [statement.Expression])
            .OfType<AssignmentExpression>()
            .Any(IsHandlerExport);
        if (!exportsHandler)
        {
            throw ShapeError(source, RuleWrapper.Action, module.Body,
                "no onExecutePostLogin export: an Action assigns exports.onExecutePostLogin = async (event, api) => { ... }");
        }
    }

    private static bool IsHandlerExport(AssignmentExpression assignment) => assignment.Left switch
    {
        MemberExpression { Property: Identifier { Name: ActionHandler } } member => IsExports(member.Object),
        var target when IsExports(target) => assignment.Right is ObjectExpression exported && exported.Properties
            .OfType<Property>()
            .Any(property => property.Key is Identifier { Name: ActionHandler } or StringLiteral { Value: ActionHandler }),
        _ => false,
    };

    private static bool IsExports(Node node) => node switch
    {
        Identifier { Name: "exports" } => true,
        MemberExpression { Object: Identifier { Name: "module" }, Property: Identifier { Name: "exports" }, Computed: false } => true,
        _ => false,
    };

    private static RuleCompilationException ShapeError(RuleSource source, RuleWrapper wrapper, Node node, string description)
    {
        var (line, column) = wrapper.Unwrap(node.Location.Start.Line, node.Location.Start.Column + 1);
        return new RuleCompilationException(source.Id, source.FilePath, line, column, description);
    }
}
