namespace RulesMfa.Host.Factors.Phone;

/// <summary>Why a code is sent, in Auth0's words (<c>message_options.action</c>).</summary>
public enum PhoneMessageAction
{
    /// <summary>To confirm a new number (<c>enrollment</c>).</summary>
    Enrollment,

    /// <summary>To sign in (<c>second-factor-authentication</c>).</summary>
    SecondFactorAuthentication,
}
