using System.Collections.Concurrent;
using System.Data.Common;
using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using RulesMfa.Host.Storage;

namespace RulesMfa.Benchmarks.LoginCost;

/// <summary>
/// What each request to the server costs while <see cref="Recording"/>: its time inside the server's pipeline (from the
/// first middleware to the answer written), the bytes the process allocated meanwhile (logins run one at a time, so
/// that is the request's, plus any background work), and its SQL statements, by method and path.
/// </summary>
internal sealed class RequestRecorder : DbCommandInterceptor, IStartupFilter
{
    private readonly AsyncLocal<Request?> current = new();
    private readonly ConcurrentQueue<Request> requests = new();

    public bool Recording { get; set; }

    public IReadOnlyCollection<Request> Requests => requests;

    public void AddTo(IServiceCollection services)
    {
        services.AddSingleton<IStartupFilter>(this);
        services.ConfigureDbContext<RulesMfaDbContext>(options => options.AddInterceptors(this));
        services.ConfigureDbContext<RulesMfa.Host.Storage.PostgreSql.PostgreSqlDbContext>(options => options.AddInterceptors(this));
    }

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use(async (http, nextMiddleware) =>
        {
            if (!Recording)
            {
                await nextMiddleware(http);
                return;
            }

            var request = new Request($"{http.Request.Method} {TenantRelative(http.Request.Path)}");
            current.Value = request;
            var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
            var started = Stopwatch.GetTimestamp();
            await nextMiddleware(http);
            request.Milliseconds = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            request.AllocatedBytes = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
            requests.Enqueue(request);
        });
        next(app);
    };

    public override DbCommand CommandInitialized(CommandEndEventData eventData, DbCommand result)
    {
        current.Value?.Statements.Enqueue(result.CommandText);
        return result;
    }

    /// <summary>The path without the tenant's segment (<c>/t1/connect/authorize</c> is <c>/connect/authorize</c>).</summary>
    private static string TenantRelative(PathString path) =>
        path.Value is { } value && value.IndexOf('/', 1) is > 0 and var second ? value[second..] : path.Value ?? "";

    internal sealed class Request(string name)
    {
        public string Name => name;

        public double Milliseconds { get; set; }

        public long AllocatedBytes { get; set; }

        public ConcurrentQueue<string> Statements { get; } = new();
    }
}
