using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace Compliance.Core.Evaluation;

/// <summary>
/// Runs a producer on another thread, at most a few items ahead of its consumer: reading and
/// parsing overlap with evaluating, and memory stays bounded. An error of the producer reaches the
/// consumer as it was thrown; items produced but never consumed are released.
/// </summary>
internal static class Ahead
{
    public static async IAsyncEnumerable<T> RunAsync<T>(
        int capacity,
        Func<ChannelWriter<T>, CancellationToken, Task> produce,
        Action<T> release,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var channel = Channel.CreateBounded<T>(new BoundedChannelOptions(capacity)
        {
            SingleReader = true,
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var producer = Task.Run(
            async () =>
            {
                try
                {
                    await produce(channel.Writer, stop.Token).ConfigureAwait(false);
                    channel.Writer.Complete();
                }
                catch (Exception ex)
                {
                    channel.Writer.Complete(ex);
                }
            },
            CancellationToken.None);

        try
        {
            await foreach (var item in channel.Reader.ReadAllAsync(CancellationToken.None).ConfigureAwait(false))
            {
                yield return item;
            }
        }
        finally
        {
            // The consumer may stop early (an exception, a cancelled scan): stop producing and
            // release what was produced ahead.
            await stop.CancelAsync().ConfigureAwait(false);
            await producer.ConfigureAwait(false);
            while (channel.Reader.TryRead(out var left))
            {
                release(left);
            }
        }
    }

    /// <summary>Writes an item, or releases it when the consumer is gone.</summary>
    public static async ValueTask WriteOrReleaseAsync<T>(ChannelWriter<T> writer, T item, Action<T> release, CancellationToken cancellationToken)
    {
        try
        {
            await writer.WriteAsync(item, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            release(item);
            throw;
        }
    }
}
