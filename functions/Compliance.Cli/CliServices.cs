using System.Reflection;
using Compliance.Cli.Commands;
using Compliance.Reporting;
using Compliance.Reporting.Evidence;
using Compliance.Reporting.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Compliance.Cli;

/// <summary>
/// The CLI's composition root: the same <c>Add…()</c> extensions as the Function App, over a
/// configuration made of the command's options (highest), the test environment's settings and
/// <c>COMPLIANCE_</c> environment variables (<c>COMPLIANCE_Store__Sqlite__BusyTimeout=00:00:05</c>).
/// Warnings of the pipeline (an abandoned run) go to standard error.
/// </summary>
internal static class CliServices
{
    /// <summary>The value of --store that keeps no store at all: findings go to the output only.</summary>
    public const string NoStore = "none";

    public static string ToolVersion =>
        typeof(CliServices).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";

    /// <summary>Whether --store says to keep nothing.</summary>
    public static bool IsNoStore(string? store) => string.Equals(store, NoStore, StringComparison.OrdinalIgnoreCase);

    /// <summary>The services of one command; <paramref name="settings"/> are configuration keys from its options.</summary>
    public static ServiceProvider Build(CliEnvironment env, string? store, bool readOnly, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in env.Settings ?? new Dictionary<string, string?>())
        {
            values[key] = value;
        }

        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            values[key] = value;
        }

        values[SqliteStoreOptions.Section + ":Path"] = store ?? CliOptions.DefaultStorePath;
        values[SqliteStoreOptions.Section + ":ReadOnly"] = readOnly ? "true" : "false";
        var configuration = new ConfigurationBuilder()
            .AddEnvironmentVariables("COMPLIANCE_")
            .AddInMemoryCollection(values)
            .Build();

        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddSingleton(env.Time);
        services.AddLogging(b => b.AddProvider(new ErrorLogger(env.Error)).SetMinimumLevel(LogLevel.Warning));
        services.AddComplianceReporting();
        if (!IsNoStore(store))
        {
            services.AddComplianceSqliteStore();
        }

        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = false });
        provider.GetRequiredService<IStartupValidator>().Validate();
        return provider;
    }

    public static SqliteReportStore Store(this IServiceProvider services) => services.GetRequiredService<SqliteReportStore>();

    public static SigningKey? SigningKey(string? file) =>
        Reporting.Evidence.SigningKey.Load(new EvidenceOptions { SigningKeyFile = file }, Environment.GetEnvironmentVariable);

    /// <summary>Warnings and errors of the pipeline, as "warning: …" lines on standard error.</summary>
    private sealed class ErrorLogger(TextWriter error) : ILoggerProvider, ILogger
    {
        public ILogger CreateLogger(string categoryName) => this;

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                error.WriteLine($"{(logLevel >= LogLevel.Error ? "error" : "warning")}: {formatter(state, exception)}");
            }
        }

        public void Dispose()
        {
        }
    }
}
