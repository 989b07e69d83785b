namespace Orchestrator.Node.Runtime;

/// <summary>Reads /proc/self/mountinfo, so cleanup never deletes through a still-mounted directory.</summary>
internal static class MountTable
{
    public static bool IsMountPoint(string path)
    {
        var full = Path.GetFullPath(path).TrimEnd('/');
        foreach (var line in File.ReadLines("/proc/self/mountinfo"))
        {
            // Field 5 is the mount point, with spaces and the like escaped as octal (\040).
            var fields = line.Split(' ');
            if (fields.Length > 4 && Unescape(fields[4]) == full)
                return true;
        }
        return false;
    }

    private static string Unescape(string value) =>
        System.Text.RegularExpressions.Regex.Replace(value, @"\\([0-7]{3})", m => ((char)Convert.ToInt32(m.Groups[1].Value, 8)).ToString());
}
