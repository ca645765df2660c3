using Akka.Actor;
using Akka.TestKit;
using Lan.Actors.Io;
using Lan.Actors.Nodes;
using Lan.Actors.TestKit;
using Xunit.Abstractions;

namespace Lan.Actors.Tests.Nodes;

/// <summary>One HOCON file configures Akka (logging, debug switches) and the library's typed settings together.</summary>
public sealed class LanActorSystemSpec(ITestOutputHelper output) : LanTestKit(
    """
    akka.loglevel = DEBUG
    akka.actor.debug.unhandled = on
    lan.node.name = lobby-7
    lan.tcp.heartbeat-interval = 750ms
    """, output)
{
    private sealed class Silent : ReceiveActor
    {
        public Silent() => Receive<string>(_ => { });
    }

    [Fact]
    public void OneFile_TurnsOnAkkasUnhandledDebugLog_AndFillsTheTypedSettings()
    {
        var actor = Sys.ActorOf(Props.Create<Silent>(), "silent");
        EventFilter.Debug(contains: "Unhandled message from").ExpectOne(() => actor.Tell(42));
        Assert.Equal("lobby-7", NodeSettings.FromConfig(LanConfig).Name);
        Assert.Equal(TimeSpan.FromMilliseconds(750), LanTcpSettings.FromConfig(LanConfig).HeartbeatInterval);
    }

    [Fact]
    public void TestKitDefaults_ComeFromReferenceConf()
    {
        Assert.Equal(TimeSpan.FromSeconds(3), TestKitSettings.SingleExpectDefault);
        Assert.Equal(TimeSpan.FromMilliseconds(100), TestKitSettings.ExpectNoMessageDefault);
        Assert.Equal(TimeSpan.FromSeconds(5), Sys.Settings.AskTimeout);
        Assert.Equal(Akka.Event.LogLevel.DebugLevel, Sys.EventStream.LogLevel);
    }

    [Fact]
    public void TheSpecRunsOnLoopback()
    {
        Assert.Equal("127.0.0.1", LanConfig.GetString("lan.tcp.bind-host"));
        Assert.Equal("127.255.255.255", LanConfig.GetString("lan.discovery.broadcast-address"));
    }
}
