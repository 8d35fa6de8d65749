using System.Net;

namespace RulesMfa.Host.Login;

/// <summary>What a login's HTTP request tells the rules (<c>context.request</c>): where it came from and with which browser.</summary>
public sealed record LoginRequestFacts(IPAddress? Ip, string Hostname, string UserAgent)
{
    public static LoginRequestFacts Of(HttpContext http) =>
        new(http.Connection.RemoteIpAddress, http.Request.Host.Host, http.Request.Headers.UserAgent.ToString());
}
