using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace Platform.Api.Http.Problems;

/// <summary>
/// Applies http:MaxBodyBytes to every request: Kestrel then refuses a larger body, announced or
/// streamed, with a 413 that <see cref="ApiExceptionHandler"/> answers as a problem.
/// </summary>
internal static class BodySizeLimit
{
    /// <summary>Adds the middleware.</summary>
    public static IApplicationBuilder UseBodySizeLimit(this IApplicationBuilder app)
    {
        var limit = app.ApplicationServices.GetRequiredService<IOptions<HttpApiOptions>>().Value.MaxBodyBytes;
        return app.Use((context, next) =>
        {
            if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
            {
                feature.MaxRequestBodySize = limit;
            }

            return next(context);
        });
    }
}
