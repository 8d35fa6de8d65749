namespace RulesMfa.Host.Factors.Phone;

/// <summary>The phone factor's channels and purposes in the words audit lines and messages use, never the enum names.</summary>
internal static class PhoneWords
{
    /// <summary><c>text message</c> or <c>voice call</c>, as in "a text message code".</summary>
    public static string Of(PhoneChannel channel) => channel switch
    {
        PhoneChannel.Sms => "text message",
        PhoneChannel.Voice => "voice call",
        _ => throw new ArgumentOutOfRangeException(nameof(channel), channel, null),
    };

    /// <summary>What the code is for, as in "a text message code to sign in".</summary>
    public static string Of(PhoneMessageAction action) => action switch
    {
        PhoneMessageAction.Enrollment => "to confirm a new number",
        PhoneMessageAction.SecondFactorAuthentication => "to sign in",
        _ => throw new ArgumentOutOfRangeException(nameof(action), action, null),
    };
}
