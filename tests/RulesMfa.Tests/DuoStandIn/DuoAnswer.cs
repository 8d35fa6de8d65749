namespace RulesMfa.Tests.DuoStandIn;

/// <summary>What the stand-in's prompt answers for the next trips: the user approved, Duo denied, or a token for another Duo user.</summary>
internal enum DuoAnswer
{
    Allow,
    Deny,
    OtherUser,
}
