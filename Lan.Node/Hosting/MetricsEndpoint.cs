using System.CommandLine;
using System.Globalization;
using System.Net;
using Lan.Actors.Metrics;
using OpenTelemetry;
using OpenTelemetry.Metrics;

namespace Lan.Node.Hosting;

/// <summary>
/// <c>--metrics [HOST:]PORT</c>, on every command: the <c>Lan.Actors</c> meter served in Prometheus' text format at
/// <c>http://HOST:PORT/metrics</c>, by OpenTelemetry's own Prometheus exporter on an HttpListener. That one rather than
/// ASP.NET Core: it is the OpenTelemetry family's (name translation, units, <c>_total</c> as Prometheus expects), and a
/// scrape endpoint needs no web pipeline, so a node that does not serve metrics loads no HTTP code at all. HOST is
/// 127.0.0.1 unless given: metrics say who talks to the node and how much, not for anyone on the LAN by default.
/// </summary>
internal static class MetricsEndpoint
{
    public static Option<string?> Option { get; } = new("--metrics")
    {
        Description = "serve the Lan.Actors metrics in Prometheus' format at http://[HOST:]PORT/metrics (HOST 127.0.0.1 unless given)",
        Recursive = true,
    };

    // A method of its own: OpenTelemetry's assemblies load when it is compiled, which a run without --metrics never does.
    // Its signature names no OpenTelemetry type either: compiling the caller must not load OpenTelemetry.Api.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1859", Justification = "IDisposable keeps OpenTelemetry's types out of the caller's signature, so a run without --metrics loads none of it.")]
    private static IDisposable Serve(string host, int port) =>
        Sdk.CreateMeterProviderBuilder()
            .AddMeter(LanMetrics.MeterName)
            .AddPrometheusHttpListener(options =>
            {
                // HttpListener names every address "+"; 0.0.0.0 is how the rest of lan-node says it.
                options.Host = host is "0.0.0.0" ? "+" : host;
                options.Port = port;
                // Every scrape is collected afresh: what a user sees is what the node has counted so far.
                options.ScrapeResponseCacheDurationMilliseconds = 0;
            })
            .Build();

    /// <summary>Parses <c>[HOST:]PORT</c>; null with the problem when it is not one.</summary>
    public static (string Host, int Port)? Parse(string text, out string problem)
    {
        problem = "";
        var colon = text.LastIndexOf(':');
        var host = colon < 0 ? "127.0.0.1" : text[..colon];
        var portText = colon < 0 ? text : text[(colon + 1)..];
        if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
        {
            problem = $"--metrics: expected [HOST:]PORT with PORT from 1 to 65535, e.g. 9464 or 127.0.0.1:9464; got \"{text}\"";
            return null;
        }

        if (host.Length == 0 || (!IPAddress.TryParse(host, out _) && Uri.CheckHostName(host) == UriHostNameType.Unknown))
        {
            problem = $"--metrics: \"{host}\" is not an address or host name; use e.g. 127.0.0.1:{port}";
            return null;
        }

        return (host, port);
    }

    /// <summary>
    /// Starts the endpoint when the command line asks for it: null when it does not; exit code 2 (bad value) or 1 (the
    /// port cannot be had) with one line on <paramref name="error"/>.
    /// </summary>
    public static int Start(ParseResult parse, TextWriter error, out IDisposable? endpoint)
    {
        endpoint = null;
        if (parse.GetValue(Option) is not { } text)
        {
            return 0;
        }

        if (Parse(text, out var problem) is not var (host, port))
        {
            error.WriteLine(problem);
            return 2;
        }

        try
        {
            endpoint = Serve(host, port);
        }
        catch (Exception e) when (e is HttpListenerException or InvalidOperationException)
        {
            error.WriteLine($"lan-node: --metrics cannot listen on {host}:{port}: {e.Message}; choose another port");
            return 1;
        }

        error.WriteLine($"metrics at http://{host}:{port}/metrics");
        return 0;
    }
}
