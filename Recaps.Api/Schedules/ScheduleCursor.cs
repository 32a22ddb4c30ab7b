using System.Buffers.Binary;
using System.Buffers.Text;
using NodaTime;
using Recaps.Workflows.Storage;

namespace Recaps.Api.Schedules;

/// <summary>
/// The opaque <c>cursor</c> of a schedule list page: the last item's position (its creation time in
/// microseconds, then its id), 24 bytes in base64url. Every string of the pattern is a position, so
/// any cursor the document allows is answered (one never issued lands between schedules, or past
/// either end); anything else is a 400 naming <c>cursor</c>.
/// </summary>
public static class ScheduleCursor
{
    public const string Pattern = "^[A-Za-z0-9_-]{32}$";

    private const int Bytes = 24;

    // Both ends within what NodaTime and PostgreSQL can hold, and before and after every schedule.
    private static readonly long MinMicros = Instant.FromUtc(1, 1, 1, 0, 0).ToUnixTimeTicks() / 10;

    private static readonly long MaxMicros = Instant.FromUtc(9999, 1, 1, 0, 0).ToUnixTimeTicks() / 10;

    public static string Format(SchedulePosition position)
    {
        Span<byte> bytes = stackalloc byte[Bytes];
        BinaryPrimitives.WriteInt64BigEndian(bytes, position.CreatedAt.ToUnixTimeTicks() / 10);
        position.Id.TryWriteBytes(bytes[8..], bigEndian: true, out _);
        return Base64Url.EncodeToString(bytes);
    }

    public static bool TryParse(string text, out SchedulePosition position)
    {
        ArgumentNullException.ThrowIfNull(text);
        Span<byte> bytes = stackalloc byte[Bytes];
        if (text.Length != 32 || !Base64Url.TryDecodeFromChars(text, bytes, out var written) || written != Bytes)
        {
            position = default;
            return false;
        }

        // Past what a timestamp can hold is past every schedule: the same place as the end it is beyond.
        var micros = Math.Clamp(BinaryPrimitives.ReadInt64BigEndian(bytes), MinMicros, MaxMicros);
        position = new(Instant.FromUnixTimeTicks(micros * 10), new Guid(bytes[8..], bigEndian: true));
        return true;
    }
}
