using System.Text.Json;
using System.Text.Json.Serialization;
using Recaps.Api.Agents;
using Recaps.Api.Channels;
using Recaps.Api.Delivery;
using Recaps.Api.Recaps;
using Recaps.Api.Schedules;
using Recaps.Workflows.Domain;

namespace Recaps.Api.Hosting;

/// <summary>
/// Serializers generated at build time for the API's bodies: a list of schedules is most of the
/// API's CPU, and generated code writes it without reflection.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(ScheduleIntentInput))]
[JsonSerializable(typeof(ScheduleResponse))]
[JsonSerializable(typeof(ScheduleListResponse))]
[JsonSerializable(typeof(PreviewResponse))]
[JsonSerializable(typeof(PauseRequest))]
[JsonSerializable(typeof(RunNowResponse))]
[JsonSerializable(typeof(RunListResponse))]
[JsonSerializable(typeof(RecapResponse))]
[JsonSerializable(typeof(RecapListResponse))]
[JsonSerializable(typeof(FeedbackRequest))]
[JsonSerializable(typeof(FeedbackView))]
[JsonSerializable(typeof(RegenerateRequest))]
[JsonSerializable(typeof(RegenerateResponse))]
[JsonSerializable(typeof(RecapVersionListResponse))]
[JsonSerializable(typeof(CitedPostListResponse))]
[JsonSerializable(typeof(ChannelRequest))]
[JsonSerializable(typeof(ChannelResponse))]
[JsonSerializable(typeof(PostRequest))]
[JsonSerializable(typeof(PostResponse))]
[JsonSerializable(typeof(ReadRequest))]
[JsonSerializable(typeof(ReadableChannelListResponse))]
[JsonSerializable(typeof(DeliveryRequest))]
[JsonSerializable(typeof(DeliveryResponse))]
[JsonSerializable(typeof(AgentListResponse))]
internal sealed partial class ApiJsonContext : JsonSerializerContext;
