using System.Security.Cryptography;
using System.Text;

namespace Orchestrator.Server.Security.Authentication;

/// <summary>
/// kube's --token-auth-file: CSV lines token,user,uid[,"group1,group2"], read once at start. For bootstrap and tests;
/// tokens compare in constant time.
/// </summary>
public sealed class StaticTokenFile : ITokenAuthenticator
{
    private readonly List<(byte[] Token, UserInfo User)> entries = [];

    public StaticTokenFile(string? path)
    {
        if (path is null)
            return;
        var number = 0;
        foreach (var line in File.ReadAllLines(path))
        {
            number++;
            if (line.Trim().Length == 0 || line.TrimStart().StartsWith('#'))
                continue;
            var fields = SplitCsv(line);
            if (fields.Count < 3 || fields[0].Length == 0 || fields[1].Length == 0)
                throw new InvalidOperationException($"{path}:{number}: want token,user,uid[,\"group1,group2\"]");
            var groups = fields.Count > 3 ? fields[3].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) : [];
            entries.Add((Encoding.UTF8.GetBytes(fields[0]), new UserInfo(fields[1], groups) { Uid = fields[2] }));
        }
    }

    public ValueTask<AuthenticationResult> AuthenticateAsync(string token, CancellationToken cancellationToken)
    {
        var presented = Encoding.UTF8.GetBytes(token);
        foreach (var (known, user) in entries)
        {
            if (CryptographicOperations.FixedTimeEquals(known, presented))
                return ValueTask.FromResult(AuthenticationResult.Success(user));
        }
        return ValueTask.FromResult(AuthenticationResult.NotMine);
    }

    private static List<string> SplitCsv(string line)
    {
        var fields = new List<string>();
        var current = new StringBuilder();
        var quoted = false;
        foreach (var c in line)
        {
            if (c == '"')
                quoted = !quoted;
            else if (c == ',' && !quoted)
            {
                fields.Add(current.ToString().Trim());
                current.Clear();
            }
            else
                current.Append(c);
        }
        fields.Add(current.ToString().Trim());
        return fields;
    }
}
