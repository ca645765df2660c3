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

    /// <summary>The names in the page's table of nodes found.</summary>
    public static IReadOnlyList<string> Names(IWebDriver browser) => Texts(browser, "#servers tbody td.name");
}
