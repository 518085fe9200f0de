namespace Compliance.Core.Snapshots;

/// <summary>
/// A resource type the rules count as related resources but the collector that wrote the snapshot
/// could not read (no Resource Graph table or ARM list serves it): a related count of it is only a
/// lower bound, so it decides only when nothing more could change the verdict, and is an error
/// otherwise — never "compliant" for lack of data.
/// </summary>
/// <param name="Type">The resource type, as the rules name it.</param>
/// <param name="Reason">Why it was not read, in words a person can act on.</param>
public sealed record UncollectedType(string Type, string Reason);
