using RulesMfa.Engine.Compilation;
using RulesMfa.Engine.Context;

namespace RulesMfa.Engine.Evaluation;

/// <summary>
/// Runs a representative Rule and Action once per process, without time limits, before the first real
/// login. The first run of the interpreter's code paths is JIT-compiled (about 0.1–0.3 s here); without
/// this, that cost would count against the first login's rule time limit and could fail it closed.
/// </summary>
internal static class SandboxWarmup
{
    private const string Rule =
        """
        function warmup(user, context, callback) {
          const roles = (user.app_metadata || {}).roles || [];
          const ip = String(context.request.ip).split('.').map(part => parseInt(part, 10));
          const inRange = ip.length === 4 && ((ip[0] << 24) >>> 0 & 0xff000000) === 0xcb000000;
          const now = new Date(); const hour = now.getUTCHours(); const day = now.getUTCDay();
          const seen = JSON.parse(JSON.stringify({ roles, at: now.toISOString() }));
          const pattern = /^[a-z0-9._%+-]+@([a-z0-9.-]+)$/i.exec(user.email || '');
          const methods = (context.authentication.methods || []).filter(m => m.name === 'mfa').map(m => m.timestamp);
          const unique = [...new Set(roles)].sort().join(',').toUpperCase().includes('ADMIN');
          const key = `${pattern ? pattern[1] : ''}:${hour}:${day}:${methods.length}:${inRange}:${unique}`;
          Object.keys(seen).forEach(name => console.log(name, key.indexOf(':'), key.replace(/:/g, '-').trim()));
          try { null.x; } catch (e) { context.idToken['https://warmup/e'] = e instanceof TypeError; }
          context.idToken['https://warmup/roles'] = roles.slice(0, 2);
          context.multifactor = { provider: 'any', allowRememberBrowser: false };
          auth0.users.updateAppMetadata(user.user_id, user.app_metadata).then(() => callback(null, user, context)).catch(callback);
        }
        """;

    /// <summary>The allowed modules and Node built-ins, so their first use in a login is not their first run in the process.</summary>
    internal const string ModuleRule =
        """
        function warmupModules(user, context, callback) {
          const _ = require('lodash'); const ipaddr = require('ipaddr.js'); const moment = require('moment');
          const crypto = require('crypto'); const qs = require('querystring'); const url = require('url');
          const inRange = ipaddr.process(context.request.ip).match(ipaddr.parseCIDR('203.0.113.0/24'));
          const roles = _.sortBy(_.uniq(_.get(user, 'app_metadata.roles', [])));
          const when = moment.utc().subtract(3, 'days').format('YYYY-MM-DD HH:mm') + moment().diff(moment('2026-01-01T00:00:00Z'), 'days');
          const digest = crypto.createHmac('sha256', 'warmup-secret').update(Buffer.from(when).toString('base64')).digest('hex');
          const token = jwt.sign({ sub: user.user_id }, digest, { expiresIn: '1h' });
          const parsed = url.parse('https://example.com/?' + qs.stringify({ a: roles.join(','), t: uuid.v4() }), true);
          context.idToken['https://warmup/m'] = [inRange, parsed.query.a, jwt.verify(token, digest).sub];
          setTimeout(() => callback(null, user, context), 1);
        }
        """;

    private const string Action =
        """
        exports.onExecutePostLogin = async (event, api) => {
          const [a] = await Promise.all([Promise.resolve(event.user.app_metadata.roles)]);
          if (event.transaction.acr_values.length === 0 && a.length > 0) {
            api.authentication.challengeWithAny([{ type: 'otp' }]);
            api.idToken.setCustomClaim('https://warmup/a', a.length);
          }
        };
        """;

    private static readonly Lazy<bool> Warm = new(RunOnce, LazyThreadSafetyMode.ExecutionAndPublication);

    public static void EnsureWarm() => _ = Warm.Value;

    private static bool RunOnce()
    {
        var compiler = new RuleCompiler();
        var rules = new[] { compiler.Compile(RuleSource.Inline("warmup-rule", Rule)), compiler.Compile(RuleSource.Inline("warmup-action", Action)) };
        var moduleRules = new[] { compiler.Compile(RuleSource.Inline("warmup-modules", ModuleRule)) };
        var unlimited = new RulePipelineSettings { Limits = { RuleTimeout = TimeSpan.FromSeconds(30), PipelineTimeout = TimeSpan.FromSeconds(60) } };
        var login = LoginContext.Create(
            new() { ["user_id"] = "warmup", ["email"] = "warm@example.com", ["app_metadata"] = new System.Text.Json.Nodes.JsonObject { ["roles"] = new System.Text.Json.Nodes.JsonArray("admin") } },
            new() { ["request"] = new System.Text.Json.Nodes.JsonObject { ["ip"] = "203.0.113.9" }, ["authentication"] = new System.Text.Json.Nodes.JsonObject { ["methods"] = new System.Text.Json.Nodes.JsonArray() } });
        new RulePipeline(rules, unlimited, TimeProvider.System, warm: false).Evaluate(login);
        new RulePipeline(moduleRules, unlimited, TimeProvider.System, warm: false).Evaluate(login);
        return true;
    }
}
