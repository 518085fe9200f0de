using Compliance.Functions;
using Compliance.Functions.Telemetry;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;

var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
builder.Services.AddComplianceFunctions(builder.Configuration);
builder.Services.AddComplianceTelemetry(builder.Configuration);
builder.Build().Run();
