namespace Compliance.Azure.Tests.Collectors.Fakes;

/// <summary>
/// A scripted failure: the next <c>times</c> requests that match get this answer instead of
/// the real one (a status with an error body, or a 200 with a garbled body), optionally late.
/// </summary>
public sealed class FakeFault
{
    private int _remaining;

    public FakeFault(Func<FakeRequest, bool> match, int times = 1)
    {
        Match = match;
        _remaining = times;
    }

    public Func<FakeRequest, bool> Match { get; }

    public int Status { get; init; } = 500;

    /// <summary>The body; default: an ARM/Graph error body { "error": { "code", "message" } }.</summary>
    public string? Body { get; init; }

    public string ErrorCode { get; init; } = "InternalServerError";

    public string ErrorMessage { get; init; } = "Something went wrong on the fake server.";

    public Dictionary<string, string> Headers { get; init; } = [];

    /// <summary>How long to wait before answering (to provoke client timeouts).</summary>
    public TimeSpan Delay { get; init; }

    /// <summary>How many times it fired.</summary>
    public int Fired { get; private set; }

    public bool TryTake()
    {
        if (Interlocked.Decrement(ref _remaining) < 0)
        {
            Interlocked.Increment(ref _remaining);
            return false;
        }

        Fired++;
        return true;
    }
}
