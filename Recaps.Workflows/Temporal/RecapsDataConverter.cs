using System.Text.Json;
using NodaTime;
using NodaTime.Serialization.SystemTextJson;
using Temporalio.Converters;

namespace Recaps.Workflows.Temporal;

/// <summary>
/// The one data converter of every Temporal client, worker, replayer and test: workflow and
/// activity records carry NodaTime values, which System.Text.Json cannot write by itself.
/// </summary>
public static class RecapsDataConverter
{
    public static JsonSerializerOptions JsonOptions { get; } =
        new JsonSerializerOptions(JsonSerializerDefaults.Web).ConfigureForNodaTime(DateTimeZoneProviders.Tzdb);

    public static DataConverter Instance { get; } =
        DataConverter.Default with { PayloadConverter = new DefaultPayloadConverter(JsonOptions) };
}
