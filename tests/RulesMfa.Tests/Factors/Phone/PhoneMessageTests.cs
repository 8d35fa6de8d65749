using RulesMfa.Host.Factors.Phone;

namespace RulesMfa.Tests.Factors.Phone;

/// <summary>A phone message, should it reach a log line or an exception, reads as words and shows neither code nor number.</summary>
public sealed class PhoneMessageTests
{
    [TestCase(PhoneChannel.Sms, PhoneMessageAction.Enrollment, "a text message code to confirm a new number for XXXXXXXX42")]
    [TestCase(PhoneChannel.Sms, PhoneMessageAction.SecondFactorAuthentication, "a text message code to sign in for XXXXXXXX42")]
    [TestCase(PhoneChannel.Voice, PhoneMessageAction.SecondFactorAuthentication, "a voice call code to sign in for XXXXXXXX42")]
    public void ToString_IsWordsWithTheMaskedNumberOnly(PhoneChannel channel, PhoneMessageAction action, string expected) =>
        Assert.That(new PhoneMessage("+16502530042", channel, action, "918273", "918273 is your code").ToString(), Is.EqualTo(expected));
}
