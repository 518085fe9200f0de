namespace Compliance.Core.Rules;

/// <summary>
/// Finds pack files on disk: a path is a pack file, or a folder whose *.json files (not
/// *.schema.json, not subfolders such as fixtures/) are packs.
/// </summary>
public static class RulePackFiles
{
    public static IReadOnlyList<RulePackInput> Read(IEnumerable<string> paths)
    {
        var inputs = new List<RulePackInput>();
        foreach (var path in paths)
        {
            if (Directory.Exists(path))
            {
                foreach (var file in Directory.EnumerateFiles(path, "*.json", SearchOption.TopDirectoryOnly)
                             .Where(f => !f.EndsWith(".schema.json", StringComparison.OrdinalIgnoreCase))
                             .Order(StringComparer.Ordinal))
                {
                    inputs.Add(ReadFile(file));
                }
            }
            else if (File.Exists(path))
            {
                inputs.Add(ReadFile(path));
            }
            else
            {
                throw new FileNotFoundException($"{path}: no such rule pack file or folder", path);
            }
        }

        return inputs;
    }

    private static RulePackInput ReadFile(string file)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(file))!;
        return new RulePackInput(
            file,
            File.ReadAllBytes(file),
            fixture => File.Exists(Path.Combine(directory, fixture)),
            fixture => File.OpenRead(Path.Combine(directory, fixture)));
    }
}
