using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.Json;
using Recaps.Api.Agents;
using Recaps.Api.Auth;
using Recaps.Api.Channels;
using Recaps.Api.Delivery;
using Recaps.Api.Embedded;
using Recaps.Api.Health;
using Recaps.Api.Problems;
using Recaps.Api.Recaps;
using Recaps.Api.Schedules;
using Recaps.Api.WebApp;
using Recaps.ServiceDefaults;
using Recaps.Workflows.Configuration;
using Scalar.AspNetCore;

namespace Recaps.Api.Hosting;

public static class RecapsApiHosting
{
    /// <summary>System.Text.Json's buffer: half of it is the largest answer written on the generated fast path.</summary>
    public const int JsonBufferSize = 128 * 1024;

    /// <summary>The API's services on top of the core: auth, rate limits, problem details, strict JSON, OpenAPI, health.</summary>
    public static IHostApplicationBuilder AddRecapsApi(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddRecapsCore();
        builder.AddRecapsTelemetry();
        // ASP.NET Core's own default address; /metrics beside it, on loopback (9464 is the worker's).
        builder.AddRecapsManagementPort("http://127.0.0.1:9465", "http://localhost:5000");
        var services = builder.Services;
        services.AddCheckedOptions<AuthOptions>(AuthOptions.Section, o => o.Problems());
        // The API never calls Temporal; it reads the task queue, namespace and Web UI address for what it shows.
        services.AddOptions<TemporalOptions>().BindConfiguration(TemporalOptions.Section);

        services.AddRecapsAuth();
        services.AddUserRateLimiting();
        services.AddCheckedOptions<QuotaOptions>(QuotaOptions.Section, o => o.Problems());
        services.AddProblemDetails();
        services.AddExceptionHandler<BadRequestExceptionHandler>();
        services.AddExceptionHandler<DatabaseUnavailableExceptionHandler>();
        // Binding failures become exceptions so BadRequestExceptionHandler can name the field.
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.Configure<JsonOptions>(o =>
        {
            o.SerializerOptions.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
            // A field sent twice is ambiguous ("last wins" would hide a client bug): 400 like any malformed body.
            o.SerializerOptions.AllowDuplicateProperties = false;
            // Numbers are numbers: no request body has one to send as a string, and the document then says "integer", not "integer or string".
            o.SerializerOptions.NumberHandling = JsonNumberHandling.Strict;
            o.SerializerOptions.TypeInfoResolverChain.Insert(0, ApiJsonContext.Default);
            // An answer is written by its generated serializer (not the converters) only while no answer of
            // its type has been over half this buffer: a schedule with the largest Temporal view is ~30 KB,
            // past the default's 8 KB, and so is a list page of 20.
            o.SerializerOptions.DefaultBufferSize = JsonBufferSize;
        });
        services.AddOpenApi(o => o
            .AddDocumentTransformer<BearerSecurityScheme>()
            .AddOperationTransformer<BearerSecurityScheme>()
            .AddOperationTransformer<ProblemHeaders>()
            .AddSchemaTransformer<ProblemSchemas>()
            .AddSchemaTransformer<RequestSchemas>());
        services.AddRecapsHealthChecks();

        services.AddSingleton<ScheduleValidation>();
        // Entries are derived timetables (DerivedSchedules), each counted as 1.
        services.AddMemoryCache(cache => cache.SizeLimit = 10_000);
        services.AddSingleton<DerivedSchedules>();
        services.AddSingleton<ScheduleViews>();
        services.AddSingleton<RunViews>();
        return builder;
    }

    /// <summary>The middleware (in order) and every endpoint.</summary>
    public static WebApplication UseRecapsApi(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseRecapsManagementPort();
        app.UseExceptionHandler();
        // 401, 403 and 404 without a body get a problem-details body too.
        app.UseStatusCodePages();
        app.UseRequestBodyLimit();
        app.UseWebAppFiles();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();

        app.MapOpenApi();
        app.MapScalarApiReference("/docs");
        app.MapHealthApi();
        var v1 = app.MapGroup("").AddEndpointFilter<DatabaseSessionRetry>();
        v1.MapSchedulesApi();
        v1.MapRecapsApi();
        v1.MapChannelsApi();
        v1.MapDeliveryApi();
        v1.MapAgentsApi();
        app.MapDemoSignInApi();
        app.MapWebSignInApi();
        return app;
    }
}
