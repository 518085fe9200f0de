namespace Compliance.Reporting.Store;

/// <summary>A rule pack a run used: which exact rules produced its findings.</summary>
public sealed record PackInfo(string Id, string Version, string ContentHash);
