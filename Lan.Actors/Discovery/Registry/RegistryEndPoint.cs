using System.Globalization;
using System.Net;

namespace Lan.Actors.Discovery.Registry;

/// <summary>Where a node finds the registry (<c>lan.discovery.registry</c>): a host name or IP address and a TCP port.</summary>
/// <param name="Host">An IP address or a host name, looked up when the node connects.</param>
/// <param name="Port">The registry's TCP port.</param>
public sealed record RegistryEndPoint(string Host, int Port)
{
    /// <summary>Reads <c>host:port</c> (<c>[v6-address]:port</c> for IPv6); false with a reason when it is not one.</summary>
    public static bool TryParse(string text, out RegistryEndPoint? endPoint, out string problem)
    {
        ArgumentNullException.ThrowIfNull(text);
        endPoint = null;
        var colon = text.LastIndexOf(':');
        if (colon <= 0 || colon == text.Length - 1)
        {
            problem = "there is no port after a colon";
            return false;
        }

        var host = text[..colon];
        if (host.StartsWith('[') && host.EndsWith(']'))
        {
            host = host[1..^1];
        }

        if (!int.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > IPEndPoint.MaxPort)
        {
            problem = $"the port must be a number from 1 to {IPEndPoint.MaxPort}";
            return false;
        }

        if (Uri.CheckHostName(host) == UriHostNameType.Unknown)
        {
            problem = "the host must be an IP address or a host name";
            return false;
        }

        endPoint = new RegistryEndPoint(host, port);
        problem = "";
        return true;
    }

    /// <inheritdoc/>
    public override string ToString() => Host.Contains(':', StringComparison.Ordinal) ? $"[{Host}]:{Port}" : $"{Host}:{Port}";
}
