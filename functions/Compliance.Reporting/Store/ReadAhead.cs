using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using System.Threading.Channels;

namespace Compliance.Reporting.Store;

/// <summary>
/// Reads a stream on another thread, a few chunks ahead of its consumer: decoding a run's findings
/// and writing them out then share the machine's cores. Memory holds at most the chunks in flight.
/// </summary>
public static class ReadAhead
{
    private const int ChunkSize = 256;
    private const int Chunks = 8;

    public static async IAsyncEnumerable<T> ReadAheadAsync<T>(this IAsyncEnumerable<T> source, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        var channel = Channel.CreateBounded<T[]>(new BoundedChannelOptions(Chunks) { SingleReader = true, SingleWriter = true, FullMode = BoundedChannelFullMode.Wait });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        ExceptionDispatchInfo? failure = null;
        var producer = Task.Run(
            async () =>
            {
                var chunk = new List<T>(ChunkSize);
                try
                {
                    await foreach (var item in source.WithCancellation(stop.Token))
                    {
                        chunk.Add(item);
                        if (chunk.Count == ChunkSize)
                        {
                            await channel.Writer.WriteAsync([.. chunk], stop.Token);
                            chunk.Clear();
                        }
                    }
                }
                catch (Exception ex)
                {
                    // Rethrown to the consumer as it was thrown (a store's explained error stays one),
                    // after what was read before it.
                    failure = ExceptionDispatchInfo.Capture(ex);
                }

                try
                {
                    if (chunk.Count > 0)
                    {
                        await channel.Writer.WriteAsync([.. chunk], stop.Token);
                    }
                }
                catch (OperationCanceledException)
                {
                    // The consumer stopped: nobody reads the rest.
                }
                finally
                {
                    channel.Writer.Complete();
                }
            },
            CancellationToken.None);

        try
        {
            while (await channel.Reader.WaitToReadAsync(cancellationToken))
            {
                while (channel.Reader.TryRead(out var chunk))
                {
                    foreach (var item in chunk)
                    {
                        yield return item;
                    }
                }
            }

            await producer;
            failure?.Throw();
        }
        finally
        {
            // A consumer that stops early (or fails) stops the producer too.
            await stop.CancelAsync();
            await producer;
        }
    }
}
