using System.Net;
using Lan.Actors.Filer;
using Lan.Actors.Handlers;
using Lan.Actors.Nodes;
using Lan.Actors.Protocol;
using Lan.Actors.TestKit;
using Lan.Actors.Tests.Filer;
using Lan.Actors.Tests.Io;
using Lan.Actors.Tests.Web;
using OpenQA.Selenium;
using OpenQA.Selenium.Support.UI;
using Xunit.Abstractions;

namespace Lan.Actors.Tests.Commands;

/// <summary>
/// The page as a user gets it: the built <c>lan-node</c> started with <c>--web 0</c>, its address and token read from
/// what it prints, looked at in headless chromium while nodes of this process join and leave its LAN (loopback, the
/// spec's own discovery port, open mode on both sides).
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class WebCommandSpec : LanTestKit
{
    private const string Hostile = "<img src=x onerror=alert(1)>";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    private readonly ITestOutputHelper _output;
    private readonly TempFolder _temp = new("web-cli");

    public WebCommandSpec(ITestOutputHelper output)
        : base("lan.tcp { port = 0, close-timeout = 300ms }\nlan.discovery { announce-interval = 200ms, expire-after = 1s }", output) => _output = output;

    // The node's configuration: loopback, and this spec's discovery port and pace, so it hears the nodes started here.
    private string Config() => LanNodeRun.LoopbackConfig(
        _temp.Path,
        $"lan.discovery {{ port = {LanConfig.GetInt("lan.discovery.port")}, announce-interval = 200ms, expire-after = 1s }}\nlan.security.mode = open\nlan.tcp.close-timeout = 300ms");

    private Task<LanServer> Neighbour(string name, Akka.Actor.Props handler)
    {
        var settings = LanNodeSettings.FromConfig(LanConfig);
        return LanNode.StartServerAsync(Sys, settings with { Node = settings.Node with { Name = name } }, handler, new ServerOptions { Name = "n-" + Guid.NewGuid().ToString("N")[..6] });
    }

    private static Uri PageAt(string printed) => new(printed["web page at ".Length..].Trim());

    [Fact]
    public async Task ServerWithWeb_ListsTheNodesThatJoin_ShowsAHostileNameAsText_SaysAPageLineToATcpMember_AndLosesALeaver()
    {
        if (HeadlessChromium.Skipped(_output))
        {
            return;
        }

        using var den = LanNodeRun.StartRunning("server", "--config", Config(), "--port", "0", "--name", "den", "--web", "0");
        var listening = await den.WaitForOutputLineAsync(line => line.StartsWith("den listening on ", StringComparison.Ordinal));
        var page = PageAt(await den.WaitForOutputLineAsync(line => line.StartsWith("web page at ", StringComparison.Ordinal)));
        var room = IPEndPoint.Parse(listening["den listening on ".Length..].Split(';')[0]);
        var leaver = await Neighbour("n2", Akka.Actor.Props.Create<EchoHandler>());
        await Neighbour(Hostile, Akka.Actor.Props.Create<EchoHandler>());

        // Without its token the page is refused.
        using (var http = new HttpClient())
        {
            Assert.Equal(HttpStatusCode.Forbidden, (await http.GetAsync(new Uri(page.GetLeftPart(UriPartial.Path)))).StatusCode);
        }

        using var browser = HeadlessChromium.Start();
        var wait = new WebDriverWait(browser, Patience);
        await browser.Navigate().GoToUrlAsync(page);
        wait.Until(b => HeadlessChromium.Names(b).Contains("n2") && HeadlessChromium.Names(b).Contains(Hostile));
        Assert.Empty(browser.FindElements(By.CssSelector("#servers img")));
        Assert.Throws<NoAlertPresentException>(() => browser.SwitchTo().Alert());

        // A member of den's room over TCP hears the line typed into the page.
        using var ana = await RawPeer.ConnectAsync(room);
        await ana.SendAsync(Packet.From(new Hello("ana-id", "ana", "lan")));
        wait.Until(b => HeadlessChromium.Texts(b, "#members li").Contains("ana"));
        var said = await HeadlessChromium.SayThroughThePage(browser, ana, "hello from the page");
        Assert.NotNull(said);

        // n2 leaves: it is gone from the page.
        await leaver.StopAsync(TimeSpan.FromSeconds(5));
        wait.Until(b => !HeadlessChromium.Names(b).Contains("n2"));
        await den.SignalAsync("INT");
        Assert.Equal(0, (await den.FinishAsync()).ExitCode);
    }

    [Fact]
    public async Task ReceiveWithWeb_SendsAFileDroppedOntoAPeer_WhichArrivesWithItsSha256_AndItsBarReaches100()
    {
        if (HeadlessChromium.Skipped(_output))
        {
            return;
        }

        var bobs = _temp.Sub("bob");
        await Neighbour("bob", FileReceiverHandler.Props(FileReceiverOptions.FromConfig(bobs, LanConfig)));
        using var ana = LanNodeRun.StartRunning("receive", "--config", Config(), "--name", "ana", "--dir", _temp.Sub("ana"), "--accept", "all", "--web", "0", "-v");
        var page = PageAt(await ana.WaitForOutputLineAsync(line => line.StartsWith("web page at ", StringComparison.Ordinal)));
        var content = new byte[(2 << 20) + 5];
        new Random(2605).NextBytes(content);
        _output.WriteLine("seed 2605");

        using var browser = HeadlessChromium.Start();
        var wait = new WebDriverWait(browser, Patience);
        await browser.Navigate().GoToUrlAsync(page);
        try
        {
            wait.Until(b => HeadlessChromium.Names(b).Contains("bob"));
        }
        catch (WebDriverTimeoutException)
        {
            // Seen once in a full CI run, never alone: say what the page listed and what the node logged.
            Assert.Fail($"the page never listed bob; it listed [{string.Join(", ", HeadlessChromium.Names(browser))}]\n{ana.PrintedSoFar}");
        }

        HeadlessChromium.DropFile(browser, "bob", "holiday.bin", content);

        var arrived = Path.Combine(bobs, "holiday.bin");
        await AwaitAssertAsync(() => Assert.True(File.Exists(arrived) && new FileInfo(arrived).Length == content.Length), Patience, TimeSpan.FromMilliseconds(100));
        Assert.Equal(System.Security.Cryptography.SHA256.HashData(content), System.Security.Cryptography.SHA256.HashData(await File.ReadAllBytesAsync(arrived)));
        wait.Until(HeadlessChromium.FirstBarIsFull);
        await ana.SignalAsync("INT");
        Assert.Equal(0, (await ana.FinishAsync()).ExitCode);
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            _temp.Dispose();
        }
    }
}
