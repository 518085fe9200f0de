using System.Text.Json.Nodes;
using Azure.Storage.Queues;

namespace Compliance.Functions.Tests.Support;

/// <summary>
/// What the Functions host does with the scope queue, against a real queue in Azurite: each message
/// is given to the function; a success deletes it, a failure makes it visible again, and a message
/// that failed host.json's maxDequeueCount times moves to the poison queue, whose messages go to the
/// poison function. Bounded in rounds; no real waiting.
/// </summary>
internal sealed class QueueHost
{
    public QueueHost(string connectionString, string name)
    {
        Queue = new QueueClient(connectionString, name);
        Poison = new QueueClient(connectionString, name + "-poison");
        MaxDequeueCount = ReadMaxDequeueCount();
    }

    public QueueClient Queue { get; }

    public QueueClient Poison { get; }

    public int MaxDequeueCount { get; }

    /// <summary>Every attempt: the message and how it ended ("ok" or the exception's type).</summary>
    public List<(string Message, long DequeueCount, string Result)> Attempts { get; } = [];

    public async Task CreateAsync()
    {
        await Queue.CreateIfNotExistsAsync();
        await Poison.CreateIfNotExistsAsync();
    }

    public async Task DeleteAsync()
    {
        await Queue.DeleteIfExistsAsync();
        await Poison.DeleteIfExistsAsync();
    }

    public async Task EnqueueAsync(IEnumerable<string> messages)
    {
        foreach (var message in messages)
        {
            await Queue.SendMessageAsync(message);
        }
    }

    /// <summary>
    /// Runs every message through <paramref name="handler"/> until the queue is empty, then the poison
    /// queue through <paramref name="poisonHandler"/>. <paramref name="timeoutWhen"/>, asked at the
    /// start of each attempt, gives a condition that ends the attempt as the host's function timeout
    /// would (cancelling its token) — for a scan stuck on a service that never answers.
    /// </summary>
    public async Task DrainAsync(
        Func<string, CancellationToken, Task> handler,
        Func<string, CancellationToken, Task> poisonHandler,
        Func<Func<bool>>? timeoutWhen = null)
    {
        for (var round = 0; round < 100; round++)
        {
            var received = (await Queue.ReceiveMessagesAsync(maxMessages: 1, visibilityTimeout: TimeSpan.FromMinutes(5))).Value;
            if (received.Length == 0)
            {
                break;
            }

            var message = received[0];
            using var attempt = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            var stuck = timeoutWhen?.Invoke();
            using var watcher = stuck is null ? null : new Timer(_ => { if (stuck()) { attempt.Cancel(); } }, null, 20, 20);
            try
            {
                await handler(message.MessageText, attempt.Token);
                Attempts.Add((message.MessageText, message.DequeueCount, "ok"));
                await Queue.DeleteMessageAsync(message.MessageId, message.PopReceipt);
            }
            catch (Exception ex)
            {
                Attempts.Add((message.MessageText, message.DequeueCount, ex.GetType().Name));
                if (message.DequeueCount >= MaxDequeueCount)
                {
                    await Poison.SendMessageAsync(message.MessageText);
                    await Queue.DeleteMessageAsync(message.MessageId, message.PopReceipt);
                }
                else
                {
                    await Queue.UpdateMessageAsync(message.MessageId, message.PopReceipt, visibilityTimeout: TimeSpan.Zero);
                }
            }
        }

        for (var round = 0; round < 100; round++)
        {
            var received = (await Poison.ReceiveMessagesAsync(maxMessages: 1, visibilityTimeout: TimeSpan.FromMinutes(5))).Value;
            if (received.Length == 0)
            {
                return;
            }

            await poisonHandler(received[0].MessageText, CancellationToken.None);
            await Poison.DeleteMessageAsync(received[0].MessageId, received[0].PopReceipt);
        }
    }

    private static int ReadMaxDequeueCount()
    {
        var hostJson = JsonNode.Parse(File.ReadAllText(RepoPaths.File("host.json")))!;
        return hostJson["extensions"]!["queues"]!["maxDequeueCount"]!.GetValue<int>();
    }
}
