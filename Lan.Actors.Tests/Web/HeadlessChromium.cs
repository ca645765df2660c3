using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using Xunit.Abstractions;

namespace Lan.Actors.Tests.Web;

/// <summary>
/// Debian's headless chromium driven through its chromedriver, for the specs that look at a node's page as a person
/// would. Without chromium and chromium-driver (apt-get install chromium chromium-driver; .ci/run installs them where it
/// can) a spec passes and writes "skipped: ..." to its output.
/// </summary>
internal static class HeadlessChromium
{
    private const string Chromium = "/usr/bin/chromium";
    private const string Driver = "/usr/bin/chromedriver";

    /// <summary>True, having said why, when this machine has no chromium to drive.</summary>
    public static bool Skipped(ITestOutputHelper output)
    {
        if (File.Exists(Chromium) && File.Exists(Driver))
        {
            return false;
        }

        output.WriteLine($"skipped: needs {Chromium} and {Driver} (apt-get install chromium chromium-driver)");
        return true;
    }

    public static ChromeDriver Start()
    {
        var options = new ChromeOptions { BinaryLocation = Chromium };
        options.AddArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,1100");
        var service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(Driver)!, Path.GetFileName(Driver));
        service.SuppressInitialDiagnosticInformation = true;
        service.HideCommandPromptWindow = true;
        return new ChromeDriver(service, options);
    }

    /// <summary>
    /// The texts of the elements <paramref name="selector"/> finds, read in one script: the page redraws its tables twice
    /// a second, so elements found one call earlier may be gone.
    /// </summary>
    public static IReadOnlyList<string> Texts(IWebDriver browser, string selector) =>
        [.. ((IReadOnlyCollection<object>)((IJavaScriptExecutor)browser).ExecuteScript($"return [...document.querySelectorAll('{selector}')].map(e => e.textContent)")!).Select(text => (string)text)];

    /// <summary>
    /// Drops a file named <paramref name="name"/> holding <paramref name="content"/> onto the row of the node named
    /// <paramref name="node"/>, as a drag from the desktop gives it to the page: a File in a DataTransfer.
    /// </summary>
    public static void DropFile(IWebDriver browser, string node, string name, byte[] content) =>
        ((IJavaScriptExecutor)browser).ExecuteScript("""
            const bytes = Uint8Array.from(atob(arguments[0]), c => c.charCodeAt(0));
            const transfer = new DataTransfer();
            transfer.items.add(new File([bytes], arguments[1]));
            const row = [...document.querySelectorAll('#servers tbody tr')].find(r => r.querySelector('td.name').textContent === arguments[2]);
            row.dispatchEvent(new DragEvent('dragover', { dataTransfer: transfer, bubbles: true, cancelable: true }));
            row.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
            """, Convert.ToBase64String(content), name, node);

    /// <summary>Types <paramref name="line"/> into the page's chat and sends it; returns the MESSAGE in which <paramref name="member"/> heard it (null: the link ended first).</summary>
    public static async Task<Lan.Actors.Protocol.Packet?> SayThroughThePage(IWebDriver browser, Lan.Actors.Tests.Io.RawPeer member, string line)
    {
        browser.FindElement(By.Id("chat-input")).SendKeys(line);
        browser.FindElement(By.Id("chat-send")).Click();
        Lan.Actors.Protocol.Packet? said;
        do
        {
            said = await member.ReadAsync();
        }
        while (said is not null && !(said.Type == Lan.Actors.Protocol.PacketTypes.Message && said.GetString("TEXT") == line));
        return said;
    }

    /// <summary>Whether the first transfer's progress bar on the page is full.</summary>
    public static bool FirstBarIsFull(IWebDriver browser) =>
        ((IJavaScriptExecutor)browser).ExecuteScript(
            "const p = document.querySelector('#transfers tbody tr progress'); return p !== null && p.value === p.max && p.max > 1;") is true;

    /// <summary>The names in the page's table of nodes found.</summary>
    public static IReadOnlyList<string> Names(IWebDriver browser) => Texts(browser, "#servers tbody td.name");
}
