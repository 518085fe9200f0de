using System.Text.Json;

namespace Compliance.Core.Conditions;

/// <summary>A value found at a path; <see cref="Path"/> is the concrete path (with indexes) when asked for.</summary>
internal readonly record struct ResolvedValue(JsonElement Value, string? Path);
