using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Akka.Actor;
using Lan.Actors.Hocon;
using Lan.Actors.Nodes;
using Lan.Node.Hosting;

namespace Lan.Node.Filer;

/// <summary>The <c>--to PEER</c> of the filer's commands: a node's name (found through discovery) or HOST:PORT.</summary>
internal sealed record PeerTarget(string Text, IPEndPoint? Address)
{
    /// <summary>How long a command waits for the peer to be found and connected before giving up.</summary>
    public static readonly TimeSpan DefaultWait = TimeSpan.FromSeconds(10);

    /// <summary>HOST:PORT (an IPv4/IPv6 address, or a host name resolved here) or else a node name.</summary>
    public static PeerTarget Parse(string text)
    {
        if (IPEndPoint.TryParse(text, out var parsed) && parsed.Port != 0)
        {
            return new PeerTarget(text, parsed);
        }

        var colon = text.LastIndexOf(':');
        if (colon > 0 && int.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is > 0 and <= IPEndPoint.MaxPort)
        {
            try
            {
                var address = Dns.GetHostAddresses(text[..colon]).FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork);
                if (address is not null)
                {
                    return new PeerTarget(text, new IPEndPoint(address, port));
                }
            }
            catch (SocketException)
            {
                // Not a host this machine can resolve: it is a node's name.
            }
        }

        return new PeerTarget(text, null);
    }

    /// <summary>
    /// <see cref="Configure"/>, with every <c>lan.*</c> setting checked; a bad configuration's one line goes to
    /// <paramref name="log"/> and the result is null (exit code 2).
    /// </summary>
    public HoconConfig? ConfigureChecked(HoconConfig config, TextWriter log)
    {
        try
        {
            var configured = Configure(config);
            _ = LanNodeSettings.FromConfig(configured);
            return configured;
        }
        catch (ConfigException e)
        {
            NodeHost.ConfigError(e, log);
            return null;
        }
    }

    /// <summary><paramref name="config"/> with the client's auto-connect this target needs: the name to look for, or none for an address.</summary>
    public HoconConfig Configure(HoconConfig config) =>
        HoconConfig.Parse($"lan.client.auto-connect = {JsonSerializer.Serialize(Address is null ? Text : "none")}", "--to").WithFallback(config).Resolve();

    /// <summary>Connects the client node (by address, or by its auto-connect) and waits for the connection, at most <paramref name="wait"/>.</summary>
    /// <returns>The connection, or null when no peer answered in time.</returns>
    public async Task<IActorRef?> ConnectAsync(ActorSystem system, string client, Task<IActorRef> connected, TimeSpan wait, CancellationToken cancel)
    {
        if (Address is not null)
        {
            (await system.StartedActor("/user/" + client, cancel).ConfigureAwait(false)).Tell(new ConnectTo(Address));
        }

        var timeout = Task.Delay(wait, cancel);
        return await Task.WhenAny(connected, timeout).ConfigureAwait(false) == connected ? await connected.ConfigureAwait(false) : null;
    }
}
