using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using RulesMfa.Engine.Sandbox;
using RulesMfa.Host.Factors;
using RulesMfa.Host.Tenants;

namespace RulesMfa.Host.Admin;

/// <summary>
/// What a tenant's settings may hold on this server (<c>GET /settings/caps</c>): the factors it serves, the
/// remember-browser range, and for each sandbox limit its least and its most (the lesser of the limit's own range and the
/// operator's maximum, <c>Sandbox:Maximums</c>). <c>PUT /settings</c> refuses anything beyond, naming the field.
/// </summary>
public static class SettingsCaps
{
    public static void MapSettingsCaps(this RouteGroupBuilder api) =>
        api.MapGet("/settings/caps", (MfaFactors factors, SandboxMaximums maximums) => Results.Json(Of(factors, maximums.Ceilings), TenantSettings.JsonOptions))
            .WithSummary("The most (and least) each setting may be on this server: served factors, remember-browser days, and each sandbox limit within the server's maximums.");

    private static JsonObject Of(MfaFactors factors, SandboxLimits ceilings)
    {
        var limits = new JsonObject();
        foreach (var limit in typeof(SandboxLimits).GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(property => property is { CanRead: true, CanWrite: true }))
        {
            var (type, ceiling) = (limit.PropertyType, limit.GetValue(ceilings)!);
            var cap = new JsonObject();
            if (limit.GetCustomAttribute<RangeAttribute>() is { } range)
            {
                var most = Bound(type, range.Maximum);
                cap["min"] = Json(Bound(type, range.Minimum), type);
                cap["max"] = Json(((IComparable)most).CompareTo(ceiling) <= 0 ? most : ceiling, type);
            }
            else
            {
                cap["max"] = Json(ceiling, type);
            }

            limits[JsonNamingPolicy.CamelCase.ConvertName(limit.Name)] = cap;
        }

        return new JsonObject
        {
            ["enabledFactors"] = new JsonArray(factors.All.Select(factor => (JsonNode)new JsonObject { ["type"] = factor.Type, ["name"] = factor.DisplayName }).ToArray()),
            ["rememberBrowserDays"] = new JsonObject { ["min"] = TenantSettings.MinRememberBrowserDays, ["max"] = TenantSettings.MaxRememberBrowserDays },
            ["limits"] = limits,
        };
    }

    // A range's bounds are written as the attribute takes them: durations as strings, numbers as int or double.
    private static object Bound(Type type, object bound) => type == typeof(TimeSpan)
        ? TimeSpan.Parse((string)bound, CultureInfo.InvariantCulture)
        : Convert.ChangeType(bound, type, CultureInfo.InvariantCulture);

    private static JsonNode? Json(object value, Type type) => JsonSerializer.SerializeToNode(value, type, TenantSettings.JsonOptions);
}
