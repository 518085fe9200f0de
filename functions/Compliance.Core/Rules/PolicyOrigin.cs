using System.Text.Json;

namespace Compliance.Core.Rules;

/// <summary>The Azure Policy definition a rule was converted from by <c>compliance policy import</c>.</summary>
/// <param name="DefinitionId">The definition's resource id.</param>
/// <param name="Version">The definition's version, when it has one.</param>
/// <param name="Effect">The effect evaluated: audit, deny or auditIfNotExists.</param>
/// <param name="EffectNote">Why that effect, when the definition's default is another one.</param>
/// <param name="Source">Where the definition was read from.</param>
/// <param name="Parameters">The parameter values the definition was imported with.</param>
public sealed record PolicyOrigin(string DefinitionId, string? Version, string Effect, string? EffectNote, string? Source, JsonElement? Parameters);
