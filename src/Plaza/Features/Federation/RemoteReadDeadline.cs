namespace Plaza.Features.Federation;

/// <summary>
/// One deadline for a whole remote exchange of the federation client: connecting, redirects,
/// headers and the body, however it is read. HttpClient's own timeout stops counting once the
/// headers are in (every fetch asks for ResponseHeadersRead), so a peer could otherwise trickle a
/// body a byte at a time and hold a worker for ever. Past the deadline the send or the read fails
/// with an <see cref="HttpRequestException"/> (inner <see cref="TimeoutException"/>), which every
/// caller already treats as a failed fetch.
/// </summary>
public sealed class RemoteReadDeadline(TimeSpan deadline) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        // Network time, not the node's clock: TimeProvider is replaced in tests that move time by hand.
        var timer = new CancellationTokenSource(deadline);
        HttpResponseMessage? response = null;
        try
        {
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timer.Token);
            response = await base.SendAsync(request, linked.Token);
            var body = await response.Content.ReadAsStreamAsync(linked.Token);
            var content = new StreamContent(new DeadlineStream(body, response.Content, timer, () => TimedOut(request)));
            foreach (var header in response.Content.Headers.NonValidated)
            {
                content.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }
            response.Content = content;
            return response;
        }
        catch (Exception e) when (e is OperationCanceledException or HttpRequestException && timer.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            response?.Dispose();
            timer.Dispose();
            throw TimedOut(request, e);
        }
        catch
        {
            response?.Dispose();
            timer.Dispose();
            throw;
        }
    }

    private HttpRequestException TimedOut(HttpRequestMessage request, Exception? cause = null)
    {
        var message = $"{request.RequestUri?.Host} did not answer in full within {deadline.TotalSeconds:0.#} s.";
        return new HttpRequestException(message, new TimeoutException(message, cause));
    }

    /// <summary>The response body, each read bounded by what is left of the deadline; disposing it ends the exchange.</summary>
    private sealed class DeadlineStream(Stream body, HttpContent original, CancellationTokenSource timer, Func<HttpRequestException> timedOut) : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (timer.IsCancellationRequested)
            {
                throw timedOut();
            }
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timer.Token);
            try
            {
                return await body.ReadAsync(buffer, linked.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or IOException && timer.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                throw timedOut();
            }
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        // Remote bodies are read asynchronously; a synchronous reader still gets the deadline.
        public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count, CancellationToken.None).GetAwaiter().GetResult();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                body.Dispose();
                original.Dispose();
                timer.Dispose();
            }
            base.Dispose(disposing);
        }
    }
}
