using System.Collections.Concurrent;

namespace RulesMfa.Load;

/// <summary>The users the workers take turns with: a worker takes one whose next TOTP code the server accepts now.</summary>
internal sealed class UserPool(IEnumerable<LoadUser> users)
{
    private readonly ConcurrentQueue<LoadUser> idle = new(users);

    /// <summary>Times a worker found no user able to pass MFA now and waited for the next time step.</summary>
    public int Waits => waits;

    private int waits;

    public async Task<LoadUser> TakeAsync(Func<LoadUser, bool> usable, CancellationToken cancellationToken)
    {
        while (true)
        {
            if (TryTake(usable) is { } user)
            {
                return user;
            }

            Interlocked.Increment(ref waits);
            await Task.Delay(TimeSpan.FromMilliseconds(250), cancellationToken);
        }
    }

    /// <summary>A user <paramref name="usable"/> now, or null when none is (without waiting).</summary>
    public LoadUser? TryTake(Func<LoadUser, bool> usable)
    {
        for (var tries = idle.Count; tries > 0 && idle.TryDequeue(out var user); tries--)
        {
            if (usable(user))
            {
                return user;
            }

            idle.Enqueue(user);
        }

        return null;
    }

    public void Return(LoadUser user) => idle.Enqueue(user);
}
