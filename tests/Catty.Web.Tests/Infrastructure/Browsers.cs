using Microsoft.Playwright;

namespace Catty.Web.Tests.Infrastructure;

/// <summary>The two sizes the dashboard is held to.</summary>
public enum Device
{
    /// <summary>390×844, touch, mobile: a phone held upright.</summary>
    Phone,

    /// <summary>1280×800 with a mouse and keyboard.</summary>
    Desktop,
}

/// <summary>
/// One Debian Chromium for the whole run, driven offline by Playwright (no browser download); each test
/// gets fresh contexts, so cookies and storage never leak between tests.
/// </summary>
public sealed class Browsers : IAsyncLifetime
{
    private IPlaywright? _playwright;

    internal IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        // The system's Node runs Playwright's driver; the package's own copy would do as well.
        if (Environment.GetEnvironmentVariable("PLAYWRIGHT_NODEJS_PATH") is null && File.Exists("/usr/bin/node"))
        {
            Environment.SetEnvironmentVariable("PLAYWRIGHT_NODEJS_PATH", "/usr/bin/node");
        }

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
            ],
        });
        Assertions.SetDefaultExpectTimeout((float)Deadline.Default.TotalMilliseconds);
    }

    public async Task DisposeAsync()
    {
        await Browser.CloseAsync();
        _playwright?.Dispose();
    }

    /// <param name="storageState">Cookies and storage of another context (Playwright's JSON), e.g. a sign-in to carry over.</param>
    internal Task<IBrowserContext> NewContextAsync(Device device, Uri baseAddress, string? storageState = null) =>
        Browser.NewContextAsync(new BrowserNewContextOptions
        {
            StorageState = storageState,
            BaseURL = baseAddress.ToString(),
            ViewportSize = device == Device.Phone ? new ViewportSize { Width = 390, Height = 844 } : new ViewportSize { Width = 1280, Height = 800 },
            IsMobile = device == Device.Phone,
            HasTouch = device == Device.Phone,
            // 1: headless Chromium's software WebGL leaves a high-density canvas blank in screenshots.
            DeviceScaleFactor = 1,
            Locale = "en-GB",
            Permissions = ["clipboard-read", "clipboard-write"],
        });
}

/// <summary>
/// Every browser test shares one Chromium and one server, and runs one at a time (the machine has two cores);
/// tests that need other server settings start their own.
/// </summary>
[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<Browsers>, ICollectionFixture<SharedServer>
{
    public const string Name = "browser";
}
