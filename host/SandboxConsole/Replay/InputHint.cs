namespace RulesMfa.Host.SandboxConsole.Replay;

/// <summary>Why a part of the rules' input is missing or not what a login would see: the path (<c>context.request.geoip</c>) and the reason.</summary>
public sealed record InputHint(string Path, string Message);
