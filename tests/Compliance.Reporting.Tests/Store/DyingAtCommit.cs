using System.Reflection;
using Compliance.Reporting.Store;

namespace Compliance.Reporting.Tests.Store;

/// <summary>
/// A store whose finalisation sessions fail at their commit, as a finaliser that dies there: every
/// write of the session has happened (and, in a store without transactions, stays).
/// </summary>
public class DyingAtCommit : DispatchProxy
{
    private object? _inner;

    public static IReportStore Wrap(IReportStore store)
    {
        var proxy = Create<IReportStore, DyingAtCommit>();
        ((DyingAtCommit)(object)proxy)._inner = store;
        return proxy;
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        ArgumentNullException.ThrowIfNull(targetMethod);
        if (_inner is IFinalizationSession && targetMethod.Name == nameof(IFinalizationSession.CommitAsync))
        {
            return Task.FromException<bool>(new IOException("the finaliser died before its commit"));
        }

        var result = targetMethod.Invoke(_inner, args);
        return targetMethod.Name == nameof(IReportStore.BeginFinalizationAsync) ? WrapSessionAsync((Task<IFinalizationSession>)result!) : result;
    }

    private static async Task<IFinalizationSession> WrapSessionAsync(Task<IFinalizationSession> session)
    {
        var proxy = Create<IFinalizationSession, DyingAtCommit>();
        ((DyingAtCommit)(object)proxy)._inner = await session;
        return proxy;
    }
}
