using System.Text;
using Acornima;
using Acornima.Ast;

namespace RulesMfa.Engine.Migration;

/// <summary>
/// The rewrites of <see cref="RuleMigrator"/>: each node either becomes new text (built from its rewritten parts)
/// or keeps its text with its children rewritten. A node that cannot be translated keeps its text and gets a
/// <c>/* rulesmfa migrate: why */</c> comment.
/// </summary>
internal sealed class RuleRewriter(string text, string user, string context, string callback)
{
    public const string Done = "done";
    public const string MessageOf = "messageOf";

    private bool direct;
    private Statement? lastStatement;

    public List<string> Untranslated { get; } = [];

    public bool NeedsMessageOf { get; private set; }

    public string Emit(BlockStatement body, bool callsBackDirectly)
    {
        direct = callsBackDirectly;
        lastStatement = body.Body.LastOrDefault();
        return Emit(body);
    }

    /// <summary>A part of a rewritten node: itself rewritten when it is one of the rewrites, else its text with its parts rewritten.</summary>
    private string Part(Node node) => Rewrite(node, parent: null) ?? Emit(node);

    private string Emit(Node node)
    {
        var edits = new List<(int Start, int End, string Text)>();
        Collect(node, edits);
        var result = new StringBuilder();
        var at = node.Range.Start;
        foreach (var (start, end, replacement) in edits.OrderBy(edit => edit.Start))
        {
            result.Append(text, at, start - at).Append(replacement);
            at = end;
        }

        return result.Append(text, at, node.Range.End - at).ToString();
    }

    private void Collect(Node node, List<(int, int, string)> edits)
    {
        foreach (var child in node.ChildNodes)
        {
            if (Rewrite(child, node) is { } replacement)
            {
                edits.Add((child.Range.Start, child.Range.End, replacement));
            }
            else
            {
                Collect(child, edits);
            }
        }
    }

    private string Original(Node node) => text[node.Range.Start..node.Range.End];

    private string Mark(Node node, string why)
    {
        Untranslated.Add($"{why} (line {node.Location.Start.Line}: {Original(node).Split('\n')[0].Trim()})");
        return $"{Original(node)} /* rulesmfa migrate: {why} */";
    }

    private string? Rewrite(Node node, Node? parent) => node switch
    {
        ExpressionStatement { Expression: CallExpression call } statement when direct && IsCallback(call) => CallbackStatement(statement, call),
        ReturnStatement { Argument: CallExpression call } statement when direct && IsCallback(call) => CallbackStatement(statement, call),
        CallExpression call when IsCallback(call) => CallbackExpression(call),
        CallExpression { Callee: MemberExpression { Object: MemberExpression { Object: Identifier { Name: "auth0" }, Property: Identifier { Name: "users" } }, Property: Identifier method } } call
            => MetadataUpdate(call, method.Name),
        AssignmentExpression { Operator: Operator.Assignment, Left: MemberExpression target } assignment when RootIs(target, context) => ContextAssignment(assignment, target),
        AssignmentExpression { Left: MemberExpression target } assignment when RootIs(target, "configuration") => Mark(assignment, "configuration is read-only in Actions (event.secrets)"),
        MemberExpression member when IsRequestGuard(member, parent) => "event.request",
        MemberExpression member when ContextChain(member) is { } chain => ContextRead(member, chain),
        Property { Shorthand: true, Key: Identifier { } key } property when IsRenamed(key.Name) => Mark(property, $"shorthand property '{key.Name}'"),
        Identifier identifier when IsReference(identifier, parent) => IdentifierReference(identifier),
        _ => null,
    };

    /// <summary>
    /// <c>context.request</c> as the guard of <c>context.request &amp;&amp; context.request.x</c>: an Action's <c>event.request</c> is
    /// always an object, so the guard keeps its meaning (the whole <c>context.request</c> elsewhere has renamed fields).
    /// </summary>
    private bool IsRequestGuard(MemberExpression member, Node? parent) =>
        parent is LogicalExpression { Operator: Operator.LogicalAnd } guard && ReferenceEquals(guard.Left, member) && ContextChain(member) is ["request"];

    private bool IsCallback(CallExpression call) => call.Callee is Identifier { } name && name.Name == callback;

    /// <summary>The callback as a statement: <c>return</c> (nothing at the very end), or <c>return api.access.deny(...)</c>.</summary>
    private string CallbackStatement(Statement statement, CallExpression call) =>
        (Succeeds(call) ? ReferenceEquals(statement, lastStatement) ? "" : "return;" : $"return {Deny(call)};") + Replaced(call);

    private string CallbackExpression(CallExpression call)
    {
        if (direct)
        {
            return Mark(call, "callback called inside an expression");
        }

        return (Succeeds(call) ? $"{Done}()" : $"{Done}({Part(call.Arguments[0])})") + Replaced(call);
    }

    private static bool Succeeds(CallExpression call) =>
        call.Arguments.Count == 0 || call.Arguments[0] is NullLiteral || call.Arguments[0] is Identifier { Name: "undefined" };

    /// <summary>A callback given other user or context objects: in an Action the login changes only through api.</summary>
    private string Replaced(CallExpression call)
    {
        var replaced = call.Arguments.Skip(1).Zip(new[] { user, context }).Any(pair => pair.First is not Identifier { } passed || passed.Name != pair.Second);
        if (!replaced)
        {
            return "";
        }

        const string why = "callback is given another user or context object; an Action changes the login only through api";
        Untranslated.Add($"{why} (line {call.Location.Start.Line})");
        return $" /* rulesmfa migrate: {why} */";
    }

    private string Deny(CallExpression call)
    {
        var error = call.Arguments[0];
        if (error is NewExpression { Callee: Identifier { Name: "UnauthorizedError" or "Error" }, Arguments: [var message] })
        {
            return $"api.access.deny({Part(message)})";
        }

        NeedsMessageOf = true;
        return $"api.access.deny({MessageOf}({Part(error)}))";
    }

    private string MetadataUpdate(CallExpression call, string method)
    {
        var setter = method switch { "updateAppMetadata" => "setAppMetadata", "updateUserMetadata" => "setUserMetadata", _ => null };
        if (setter is null || call.Arguments.Count != 2
            || call.Arguments[0] is not MemberExpression { Object: Identifier { } owner, Property: Identifier { Name: "user_id" }, Computed: false } || owner.Name != user)
        {
            return Mark(call, "only auth0.users.updateAppMetadata/updateUserMetadata of the logging-in user translate");
        }

        // JSON first: the Rule's update sends JSON, so undefined values and functions never reach the patch.
        return $"Promise.resolve(Object.entries(JSON.parse(JSON.stringify({Part(call.Arguments[1])}))).forEach(([key, value]) => api.user.{setter}(key, value)))";
    }

    private string ContextAssignment(AssignmentExpression assignment, MemberExpression target)
    {
        if (target is { Object: Identifier, Computed: false, Property: Identifier { Name: "multifactor" } })
        {
            return Multifactor(assignment);
        }

        if (target.Object is MemberExpression { Object: Identifier, Computed: false, Property: Identifier { Name: "idToken" or "accessToken" } token })
        {
            var claim = target.Computed ? Part(target.Property) : $"'{((Identifier)target.Property).Name}'";
            return $"api.{token.Name}.setCustomClaim({claim}, {Part(assignment.Right)})";
        }

        return Mark(assignment, "this change of context has no Action equivalent");
    }

    private string Multifactor(AssignmentExpression assignment)
    {
        switch (assignment.Right)
        {
            case BooleanLiteral { Value: true }:
                return "api.multifactor.enable('any')";
            case StringLiteral name:
                return $"api.multifactor.enable({Original(name)})";
            case ObjectExpression request when request.Properties.All(property => property is Property { Computed: false, Key: Identifier or StringLiteral }):
                var properties = request.Properties.Cast<Property>().ToDictionary(property => property.Key is Identifier key ? key.Name : ((StringLiteral)property.Key).Value, property => property.Value);
                var provider = properties.TryGetValue("provider", out var value) ? Part(value) : "'any'";
                var options = properties.Where(property => property.Key != "provider").Select(property => $"{property.Key}: {Part(property.Value)}").ToList();
                return options.Count == 0 ? $"api.multifactor.enable({provider})" : $"api.multifactor.enable({provider}, {{ {string.Join(", ", options)} }})";
            default:
                return Mark(assignment, "context.multifactor set to a computed value");
        }
    }

    private string ContextRead(MemberExpression member, List<string> chain) =>
        chain[0] is "multifactor" or "idToken" or "accessToken" or "redirect" || ContextPaths.Translate(chain) is not { } translated
            ? Mark(member, $"context.{string.Join('.', chain)} has no Action equivalent")
            : string.Join('.', chain.Skip(translated.Used).Prepend(translated.Path));

    /// <summary>The property names of a non-computed chain on <c>context</c> (<c>context.request.ip</c> → request, ip), or null.</summary>
    private List<string>? ContextChain(MemberExpression member)
    {
        var names = new List<string>();
        Node current = member;
        while (current is MemberExpression { Computed: false, Property: Identifier property } link)
        {
            names.Insert(0, property.Name);
            current = link.Object;
        }

        return current is Identifier { } root && root.Name == context && names.Count > 0 ? names : null;
    }

    private static bool RootIs(MemberExpression member, string name)
    {
        Node current = member;
        while (current is MemberExpression link)
        {
            current = link.Object;
        }

        return current is Identifier { } root && root.Name == name;
    }

    private bool IsRenamed(string name) => name == user || name == context || name == "configuration" || name == callback;

    private static bool IsReference(Identifier identifier, Node? parent) => parent switch
    {
        MemberExpression { Computed: false } member => !ReferenceEquals(member.Property, identifier),
        Property { Computed: false } property => !ReferenceEquals(property.Key, identifier),
        IFunction => false,
        VariableDeclarator declarator => !ReferenceEquals(declarator.Id, identifier),
        _ => true,
    };

    private string? IdentifierReference(Identifier identifier)
    {
        if (identifier.Name == user)
        {
            return "event.user";
        }

        if (identifier.Name == "configuration")
        {
            return "event.secrets";
        }

        if (identifier.Name == context)
        {
            return Mark(identifier, "the whole context object has no Action equivalent");
        }

        if (identifier.Name == callback)
        {
            if (direct)
            {
                return Mark(identifier, "callback passed as a value");
            }

            return Done;
        }

        return null;
    }
}
