using Microsoft.AspNetCore.Connections;

namespace RulesMfa.Host;

/// <summary>Whether the server failed to start because another process listens on its address.</summary>
internal static class AddressInUse
{
    public static bool Is(Exception? exception)
    {
        for (var cause = exception; cause is not null; cause = cause.InnerException)
        {
            if (cause is AddressInUseException)
            {
                return true;
            }
        }

        return false;
    }
}
