using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;

namespace Lan.Actors.Tests.Netns;

/// <summary>
/// A small LAN made of Linux network namespaces: one namespace holds a bridge (the switch), and each host namespace
/// has an <c>eth0</c> on 10.99.0.0/24 whose veth peer is a port of that bridge. Nothing is created in the machine's
/// own namespace (the veth pairs are made inside the host namespaces and their peers moved straight into the bridge
/// one), so the real 255.255.255.255 broadcasts the nodes send there never reach the machine's network.
/// Names carry this process's id, so parallel runs never collide and a crashed run's leftovers are recognised.
/// </summary>
public sealed class NetnsTestbed : IDisposable
{
    /// <summary>Every namespace the testbed makes starts with this, then the owning process's id.</summary>
    public const string Prefix = "lantb-";

    /// <summary>The subnet's broadcast address, which a node's <c>auto</c> broadcast targets must include.</summary>
    public const string DirectedBroadcast = "10.99.0.255";

    private const int HostCount = 5;
    private readonly List<string> _created = [];
    private readonly string _run = $"{Prefix}{Environment.ProcessId.ToString(CultureInfo.InvariantCulture)}-";

    public NetnsTestbed()
    {
        if (!OperatingSystem.IsLinux())
        {
            SkipReason = "network namespaces are Linux only";
            return;
        }

        if (!Environment.IsPrivilegedProcess)
        {
            SkipReason = "creating network namespaces needs root";
            return;
        }

        try
        {
            RemoveStaleNamespaces();
            Add(Bridge);
        }
        catch (Exception e) when (e is Win32Exception or InvalidOperationException)
        {
            // No ip(8), or a container that lets root do everything but create namespaces.
            SkipReason = $"ip netns is not available here: {e.Message}";
            Dispose();
            return;
        }

        try
        {
            Build();
        }
        catch
        {
            // xunit does not dispose a fixture whose constructor threw: remove what was made before failing.
            Dispose();
            throw;
        }
    }

    /// <summary>Why the testbed could not be built here; null when it was.</summary>
    public string? SkipReason { get; }

    /// <summary>The namespace holding the bridge <c>br0</c>; its ports are named after the hosts (h1, h2, ...).</summary>
    public string Bridge => _run + "br";

    /// <summary>The host namespaces, h1 to h5.</summary>
    public IReadOnlyList<string> Hosts => [.. Enumerable.Range(1, HostCount).Select(Host)];

    /// <summary>The folder for config files the nodes read; removed with the testbed.</summary>
    public string ConfigFolder { get; } = Directory.CreateTempSubdirectory("lan-netns-").FullName;

    private string Host(int number) => $"{_run}h{number.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>The address of host <paramref name="number"/> (1-based) on the testbed's LAN.</summary>
    public static string Address(int number) => $"10.99.0.{number.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>The bridge port that is host <paramref name="number"/>'s cable: setting it down unplugs the host.</summary>
    public static string BridgePort(int number) => $"h{number.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>
    /// Plugs host <paramref name="number"/>'s cable into the second bridge (<c>br1</c>, true) or back into the first
    /// (<c>br0</c>): hosts on br1 reach each other and nobody on br0, a clean split of the LAN into two.
    /// </summary>
    public void MoveToSecondBridge(int number, bool second) => Ip("-n", Bridge, "link", "set", BridgePort(number), "master", second ? "br1" : "br0");

    /// <summary>
    /// Unplugs host <paramref name="number"/>'s cable from every bridge (true; it reaches nobody) or plugs it back into
    /// the first (false).
    /// </summary>
    public void Unplug(int number, bool unplugged)
    {
        if (unplugged)
        {
            Ip("-n", Bridge, "link", "set", BridgePort(number), "nomaster");
        }
        else
        {
            MoveToSecondBridge(number, false);
        }
    }

    /// <summary>Writes a config file for the nodes and returns its path.</summary>
    public string WriteConfig(string name, string hocon)
    {
        var path = Path.Combine(ConfigFolder, name);
        File.WriteAllText(path, hocon);
        return path;
    }

    /// <summary>Runs <c>ip <paramref name="args"/></c>; throws with its error output when it fails.</summary>
    public static string Ip(params string[] args)
    {
        var start = new ProcessStartInfo("ip") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var ip = Process.Start(start)!;
        var output = ip.StandardOutput.ReadToEndAsync();
        var error = ip.StandardError.ReadToEnd();
        ip.WaitForExit();
        return ip.ExitCode == 0 ? output.Result : throw new InvalidOperationException($"ip {string.Join(' ', args)}: {error.Trim()}");
    }

    private void Add(string netns)
    {
        Ip("netns", "add", netns);
        _created.Add(netns);
        Ip("-n", netns, "link", "set", "lo", "up");
    }

    private void Build()
    {
        // With STP off a port forwards at once; forward_delay 0 says so even where a default turns STP on.
        Ip("-n", Bridge, "link", "add", "br0", "type", "bridge", "forward_delay", "0");
        Ip("-n", Bridge, "link", "set", "br0", "up");
        Ip("-n", Bridge, "link", "add", "br1", "type", "bridge", "forward_delay", "0");
        Ip("-n", Bridge, "link", "set", "br1", "up");
        for (var number = 1; number <= HostCount; number++)
        {
            var host = Host(number);
            Add(host);
            Ip("-n", host, "link", "add", "eth0", "type", "veth", "peer", "name", BridgePort(number), "netns", Bridge);
            Ip("-n", Bridge, "link", "set", BridgePort(number), "master", "br0");
            Ip("-n", Bridge, "link", "set", BridgePort(number), "up");
            // "brd +" sets the subnet's broadcast address, as DHCP would on a real LAN.
            Ip("-n", host, "addr", "add", $"{Address(number)}/24", "brd", "+", "dev", "eth0");
            Ip("-n", host, "link", "set", "eth0", "up");
        }
    }

    /// <summary>Deletes namespaces of ours whose process is gone: a run killed before its cleanup.</summary>
    private static void RemoveStaleNamespaces()
    {
        foreach (var line in Ip("netns", "list").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            // "lantb-1234-h1 (id: 3)": the name, then its owner's pid between the prefix and the next dash.
            var name = line.Split(' ')[0];
            if (!name.StartsWith(Prefix, StringComparison.Ordinal))
            {
                continue;
            }

            var owner = name[Prefix.Length..].Split('-')[0];
            if (int.TryParse(owner, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && !Directory.Exists($"/proc/{pid}"))
            {
                // Nodes a killed test host left running would outlive the namespace's name: end them first.
                foreach (var node in Ip("netns", "pids", name).Split('\n', StringSplitOptions.RemoveEmptyEntries))
                {
                    KillLeftover(int.Parse(node, CultureInfo.InvariantCulture));
                }

                Ip("netns", "del", name);
            }
        }
    }

    private static void KillLeftover(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            process.Kill();
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            // It ended by itself meanwhile.
        }
    }

    /// <summary>Deletes every namespace made (their veths and the bridge go with them) and the config folder.</summary>
    public void Dispose()
    {
        var failures = new List<string>();
        foreach (var netns in Enumerable.Reverse(_created))
        {
            try
            {
                Ip("netns", "del", netns);
            }
            catch (Exception e) when (e is Win32Exception or InvalidOperationException)
            {
                failures.Add(e.Message);
            }
        }

        _created.Clear();
        // Also called from the constructor when the testbed cannot be built, and again by xunit then.
        if (Directory.Exists(ConfigFolder))
        {
            Directory.Delete(ConfigFolder, recursive: true);
        }

        if (failures.Count > 0)
        {
            throw new InvalidOperationException($"testbed cleanup failed: {string.Join("; ", failures)}");
        }
    }
}

/// <summary>The testbed's specs run alone: they start many processes, and they measure discovery against the clock.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class NetnsTestbedCollection : ICollectionFixture<NetnsTestbed>
{
    public const string Name = "netns testbed";
}
