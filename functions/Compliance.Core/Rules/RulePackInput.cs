namespace Compliance.Core.Rules;

/// <summary>The bytes of one pack file and a way to check its fixture files exist.</summary>
/// <param name="Path">The path shown in messages.</param>
/// <param name="Content">The file's bytes.</param>
/// <param name="FixtureExists">Whether a fixture path (relative to the pack) exists.</param>
/// <param name="OpenFixture">Opens a fixture path (relative to the pack) for <c>rules test</c>.</param>
public sealed record RulePackInput(string Path, byte[] Content, Func<string, bool> FixtureExists, Func<string, Stream> OpenFixture);
