using System.Text.RegularExpressions;

namespace Sequencer.Rpc;

/// <summary>
/// Text from inside the host (exception messages) made fit for anyone who can call
/// sequencer_getStatus: file system paths are replaced by "&lt;path&gt;", so the reply tells what
/// went wrong without mapping the server's disk.
/// </summary>
internal static partial class PublicText
{
    public const string PathPlaceholder = "<path>";

    public static string? WithoutPaths(string? text) => text is null ? null : AbsolutePath().Replace(text, PathPlaceholder);

    /// <summary>A path under <paramref name="root"/> as seen from there ("wal"), never the absolute one.</summary>
    public static string Relative(string root, string path) =>
        path.Length == 0 ? path : Path.GetRelativePath(Path.GetFullPath(root), Path.GetFullPath(path));

    // A '/' or drive letter that starts a token (not the '/' inside a URL such as http://host/x), followed by a name.
    [GeneratedRegex(@"(?<![\w:/.\-~])(?:/|[A-Za-z]:\\)[^\s'""<>|,;)\]]+")]
    private static partial Regex AbsolutePath();
}
