using System.Buffers.Binary;
using System.Globalization;
using System.IO.Compression;
using System.Text;
using NodaTime;

namespace Recaps.Tests.EndToEnd;

/// <summary>
/// Tz data with deliberately wrong rules, for a server started with <c>ZONEINFO</c> pointing at it:
/// Go's time.LoadLocation reads that zip before the system's and its own embedded tz data.
/// </summary>
internal static class FakeZoneinfo
{
    /// <summary>Fixed offsets far from the truth (New York at +09, London at −07, …), no DST.</summary>
    public static readonly IReadOnlyDictionary<string, Offset> Rules = new Dictionary<string, Offset>
    {
        ["America/New_York"] = Offset.FromHours(9),
        ["Europe/London"] = Offset.FromHours(-7),
        ["Australia/Sydney"] = Offset.FromHours(-3),
        ["America/Vancouver"] = Offset.FromHours(5),
    };

    /// <summary>
    /// Writes the zip of <see cref="Rules"/>. Go reads only stored (uncompressed) entries; .NET's
    /// <see cref="CompressionLevel.NoCompression"/> writes them stored (method 0).
    /// </summary>
    public static void WriteZip(string path)
    {
        using var file = File.Create(path);
        using var zip = new ZipArchive(file, ZipArchiveMode.Create);
        foreach (var (zone, offset) in Rules)
        {
            using var entry = zip.CreateEntry(zone, CompressionLevel.NoCompression).Open();
            entry.Write(Tzif(offset));
        }
    }

    /// <summary>
    /// A TZif file (RFC 8536, version 2) for a fixed offset: no transitions, one local time type, and
    /// the POSIX TZ string (<c>&lt;+09&gt;-9</c>) that rules after the (absent) last transition.
    /// </summary>
    public static byte[] Tzif(Offset offset)
    {
        var hours = offset.Seconds / 3600;
        var name = hours.ToString("+00;-00", CultureInfo.InvariantCulture);
        var designation = Encoding.ASCII.GetBytes(name + "\0");
        using var tzif = new MemoryStream();
        // Version 1's block, then version 2's with the same (empty) data, then the footer.
        for (var block = 0; block < 2; block++)
        {
            tzif.Write("TZif2"u8);
            tzif.Write(new byte[15]);
            // isutcnt, isstdcnt, leapcnt, timecnt, typecnt, charcnt.
            foreach (var count in (ReadOnlySpan<int>)[0, 0, 0, 0, 1, designation.Length])
            {
                WriteInt32(tzif, count);
            }

            WriteInt32(tzif, offset.Seconds);
            tzif.Write([0, 0]); // not DST; designation at index 0
            tzif.Write(designation);
        }

        // POSIX counts west of Greenwich as positive: +09 is "<+09>-9".
        tzif.Write(Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"\n<{name}>{-hours}\n")));
        return tzif.ToArray();
    }

    private static void WriteInt32(Stream stream, int value)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(bytes, value);
        stream.Write(bytes);
    }
}
