using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Compliance.Functions.Tests.Support;

/// <summary>Requests for the HTTP functions, and their results executed as the ASP.NET Core integration does.</summary>
internal static class HttpCalls
{
    private static readonly IServiceProvider MvcServices = new ServiceCollection().AddLogging().AddMvcCore().Services.BuildServiceProvider();

    public static HttpRequest Get(string pathAndQuery)
    {
        var context = new DefaultHttpContext { RequestServices = MvcServices };
        var question = pathAndQuery.IndexOf('?', StringComparison.Ordinal);
        context.Request.Method = "GET";
        context.Request.Scheme = "https";
        context.Request.Host = new HostString("func-compliance-test.azurewebsites.net");
        context.Request.Path = question < 0 ? pathAndQuery : pathAndQuery[..question];
        context.Request.QueryString = question < 0 ? QueryString.Empty : new QueryString(pathAndQuery[question..]);
        context.Response.Body = new MemoryStream();
        return context.Request;
    }

    public static async Task<Response> ExecuteAsync(HttpRequest request, IActionResult result)
    {
        var context = request.HttpContext;
        await result.ExecuteResultAsync(new ActionContext(context, new RouteData(), new ActionDescriptor()));
        var body = ((MemoryStream)context.Response.Body).ToArray();
        return new Response(context.Response.StatusCode, context.Response.ContentType, context.Response.Headers, body);
    }

    internal sealed record Response(int Status, string? ContentType, IHeaderDictionary Headers, byte[] Bytes)
    {
        public string Text => Encoding.UTF8.GetString(Bytes);

        public System.Text.Json.Nodes.JsonNode Json => System.Text.Json.Nodes.JsonNode.Parse(Text)!;
    }
}
