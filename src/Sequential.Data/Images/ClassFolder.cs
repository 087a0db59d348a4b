namespace Sequential.Data;

/// <summary>
/// Lists the image files of one class folder for <see cref="DirectoryIterator"/>, following folder links only where
/// they cannot loop or relabel another class's images.
/// </summary>
internal static class ClassFolder
{
    /// <summary>Links resolved in one path before it is called a loop (Linux's limit, ELOOP).</summary>
    private const int MaxLinks = 40;

    private static readonly StringComparison PathComparison =
        OperatingSystem.IsWindows() || OperatingSystem.IsMacOS() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;

    /// <summary>
    /// Image files under <paramref name="classDir"/> (a folder of <paramref name="dataDir"/>), folders then files
    /// sorted by ordinal name as Keras sorts <c>os.walk</c>'s output.
    /// </summary>
    /// <remarks>
    /// Every folder is known by its canonical real path. The folders reached without links are walked first, so a
    /// folder also reached through a link keeps its own name. Then, with <paramref name="followLinks"/>, each linked
    /// folder is followed unless its real path is the class folder or above it (a cycle), lies elsewhere inside
    /// <paramref name="dataDir"/> (another class), was read already, or cannot be resolved.
    /// </remarks>
    /// <param name="classDir">The class folder.</param>
    /// <param name="dataDir">The folder holding every class folder.</param>
    /// <param name="followLinks">Whether linked folders are followed.</param>
    /// <param name="warn">Told why a link is not followed, in words naming it.</param>
    /// <param name="extensions">The file extensions listed (lower case, with the dot); <see cref="ImageDecoder.Extensions"/> if null.</param>
    internal static List<string> Walk(string classDir, string dataDir, bool followLinks, Action<string> warn, IReadOnlyList<string>? extensions = null)
    {
        extensions ??= ImageDecoder.Extensions;
        string classReal = RealPath(classDir) ?? Path.GetFullPath(classDir);
        string dataReal = RealPath(dataDir) ?? Path.GetFullPath(dataDir);
        var visited = new HashSet<string>(StringComparer.FromComparison(PathComparison)) { classReal };
        var folders = new List<string> { classDir };
        var plain = new Stack<(string path, string real)>();
        plain.Push((classDir, classReal));
        var links = new Queue<string>();
        while (plain.Count > 0 || links.Count > 0)
        {
            if (plain.Count == 0)
            {
                string link = links.Dequeue();
                string? real = RealPath(link);
                string? why = real is null ? "it cannot be resolved (a loop of links?)"
                    : IsUnder(classReal, real, orSame: true) ? $"it leads back to '{real}', the class folder or a folder above it (a cycle)"
                    : IsUnder(real, dataReal, orSame: false) && !IsUnder(real, classReal, orSame: false)
                        ? $"it leads to '{real}', inside '{dataDir}' but outside this class's folder, so its images would be counted under the wrong class"
                    : null;
                if (why is not null)
                    warn($"not following the link '{link}': {why}.");
                else if (visited.Add(real!))
                {
                    folders.Add(link);
                    plain.Push((link, real!));
                }
                continue;
            }
            var (dir, dirReal) = plain.Pop();
            // Sorted, so which of two links to one folder names it does not depend on the file system's order.
            foreach (var sub in new DirectoryInfo(dir).EnumerateDirectories().OrderBy(d => d.Name, StringComparer.Ordinal))
            {
                if (sub.LinkTarget is not null)
                {
                    if (followLinks)
                        links.Enqueue(sub.FullName);
                }
                // Not a link, inside a folder whose real path is known: its real path is that plus its name.
                else if (visited.Add(Path.Join(dirReal, sub.Name)))
                {
                    folders.Add(sub.FullName);
                    plain.Push((sub.FullName, Path.Join(dirReal, sub.Name)));
                }
            }
        }
        var files = new List<string>();
        foreach (string dir in folders.Order(StringComparer.Ordinal))
            files.AddRange(new DirectoryInfo(dir).EnumerateFiles()
                .Where(f => extensions.Any(e => f.Name.EndsWith(e, StringComparison.OrdinalIgnoreCase)))
                .Select(f => f.FullName).Order(StringComparer.Ordinal));
        return files;
    }

    /// <summary>
    /// The canonical path of <paramref name="path"/> with every link on it resolved, as POSIX <c>realpath</c> (a
    /// <c>..</c> after a link goes above the link's target, not above the link); null after more than
    /// <see cref="MaxLinks"/> links (a loop). Components that do not exist are kept as written.
    /// </summary>
    internal static string? RealPath(string path)
    {
        string full = Path.IsPathFullyQualified(path) ? path : Path.Join(Environment.CurrentDirectory, path);
        string current = Path.GetPathRoot(full)!;
        var pending = new Stack<string>();
        Push(pending, full[current.Length..]);
        int links = 0;
        while (pending.TryPop(out string? part))
        {
            if (part == ".")
                continue;
            if (part == "..")
            {
                current = Path.GetDirectoryName(current) ?? current;
                continue;
            }
            string next = Path.Join(current, part);
            string? target = new FileInfo(next).LinkTarget;
            if (target is null)
            {
                current = next;
                continue;
            }
            if (++links > MaxLinks)
                return null;
            // The target replaces this component: relative to the link's folder (current), or from its own root.
            if (Path.IsPathRooted(target))
            {
                current = Path.GetPathRoot(target)!;
                target = target[current.Length..];
            }
            Push(pending, target);
        }
        return current;
    }

    /// <summary>Pushes the components of a relative path so the first is popped first.</summary>
    private static void Push(Stack<string> pending, string relative)
    {
        var parts = relative.Split([Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar], StringSplitOptions.RemoveEmptyEntries);
        for (int i = parts.Length - 1; i >= 0; i--)
            pending.Push(parts[i]);
    }

    /// <summary>Whether <paramref name="path"/> lies inside <paramref name="folder"/> (or is it, with <paramref name="orSame"/>).</summary>
    private static bool IsUnder(string path, string folder, bool orSame)
    {
        path = Path.TrimEndingDirectorySeparator(path);
        folder = Path.TrimEndingDirectorySeparator(folder);
        if (path.Equals(folder, PathComparison))
            return orSame;
        return path.StartsWith(folder, PathComparison)
            && (Path.EndsInDirectorySeparator(folder) || path[folder.Length] == Path.DirectorySeparatorChar);
    }
}
