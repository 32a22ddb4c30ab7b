namespace Recaps.Api.Problems;

/// <summary>
/// Bodies over 64 KiB are refused with 413 before anything reads them: at once when the declared
/// length says so; a body sent without a length (chunked) is read into memory up to the limit.
/// </summary>
public static class RequestBodyLimit
{
    public const int MaxBytes = 64 * 1024;

    public static IApplicationBuilder UseRequestBodyLimit(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var request = context.Request;
        if (request.ContentLength > MaxBytes)
        {
            throw TooLarge();
        }

        if (request.ContentLength is null && request.Body.CanRead && HttpMethods.IsGet(request.Method) is false)
        {
            var buffered = new MemoryStream();
            var chunk = new byte[8192];
            int read;
            while ((read = await request.Body.ReadAsync(chunk, context.RequestAborted)) > 0)
            {
                if (buffered.Length + read > MaxBytes)
                {
                    throw TooLarge();
                }

                buffered.Write(chunk, 0, read);
            }

            buffered.Position = 0;
            request.Body = buffered;
            context.Response.RegisterForDispose(buffered);
        }

        await next(context);
    });

    private static BadHttpRequestException TooLarge() => new("The request body is too large.", StatusCodes.Status413PayloadTooLarge);
}
