using System.Buffers;

namespace Platform.Api.Http.Json;

/// <summary>Request bodies read whole.</summary>
internal static class Bodies
{
    // The first buffer of a body whose length was not announced.
    private const int InitialCapacity = 4096;

    /// <summary>
    /// The whole body. Kestrel stops a body past the request's size limit with a 413
    /// (<see cref="BadHttpRequestException"/>), so no more than the limit is ever held.
    /// </summary>
    public static async Task<ReadOnlyMemory<byte>> ReadAllAsync(HttpRequest request)
    {
        var announced = request.ContentLength ?? InitialCapacity;
        var body = new ArrayBufferWriter<byte>((int)Math.Clamp(announced, 1, InitialCapacity * 256));
        var reader = request.BodyReader;
        while (true)
        {
            var read = await reader.ReadAsync(request.HttpContext.RequestAborted).ConfigureAwait(false);
            foreach (var segment in read.Buffer)
            {
                body.Write(segment.Span);
            }

            reader.AdvanceTo(read.Buffer.End);
            if (read.IsCompleted)
            {
                return body.WrittenMemory;
            }
        }
    }
}
