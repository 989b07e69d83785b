using System.Buffers.Binary;
using System.Text;

namespace Orchestrator.Server.Http.Spdy;

/// <summary>
/// The zlib dictionary of SPDY/3 header blocks (draft 3, section 2.6.10.1): common header names and values, each
/// with a 4-byte big-endian length, then a run of status lines, dates and media types. Both ends prime their zlib
/// streams with it, so a peer's first header block cannot be read without it.
/// </summary>
internal static class SpdyHeaderDictionary
{
    private static readonly string[] Words =
    [
        "options", "head", "post", "put", "delete", "trace", "accept", "accept-charset", "accept-encoding",
        "accept-language", "accept-ranges", "age", "allow", "authorization", "cache-control", "connection",
        "content-base", "content-encoding", "content-language", "content-length", "content-location", "content-md5",
        "content-range", "content-type", "date", "etag", "expect", "expires", "from", "host", "if-match",
        "if-modified-since", "if-none-match", "if-range", "if-unmodified-since", "last-modified", "location",
        "max-forwards", "pragma", "proxy-authenticate", "proxy-authorization", "range", "referer", "retry-after",
        "server", "te", "trailer", "transfer-encoding", "upgrade", "user-agent", "vary", "via", "warning",
        "www-authenticate", "method", "get", "status", "200 OK", "version", "HTTP/1.1", "url", "public", "set-cookie",
        "keep-alive", "origin",
    ];

    private const string Tail =
        "100101201202205206300302303304305306307402405406407408409410411412413414415416417502504505"
        + "203 Non-Authoritative Information204 No Content301 Moved Permanently400 Bad Request401 Unauthorized"
        + "403 Forbidden404 Not Found500 Internal Server Error501 Not Implemented503 Service Unavailable"
        + "Jan Feb Mar Apr May Jun Jul Aug Sept Oct Nov Dec 00:00:00 Mon, Tue, Wed, Thu, Fri, Sat, Sun, GMT"
        + "chunked,text/html,image/png,image/jpg,image/gif,application/xml,application/xhtml+xml,text/plain,"
        + "text/javascript,publicprivatemax-age=gzip,deflate,sdchcharset=utf-8charset=iso-8859-1,utf-,*,enq=0.";

    public static byte[] Bytes { get; } = Build();

    private static byte[] Build()
    {
        var bytes = new List<byte>(1423);
        Span<byte> length = stackalloc byte[4];
        foreach (var word in Words)
        {
            BinaryPrimitives.WriteInt32BigEndian(length, word.Length);
            bytes.AddRange(length);
            bytes.AddRange(Encoding.ASCII.GetBytes(word));
        }
        bytes.AddRange(Encoding.ASCII.GetBytes(Tail));
        return [.. bytes];
    }
}
