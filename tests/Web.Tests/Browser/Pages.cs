using Microsoft.Playwright;
using MusicSearch.Web.Tests.Hosting;

namespace MusicSearch.Web.Tests.Browser;

/// <summary>What every browser test does: open a signed-in tab, check a page's accessibility basics, keep a screenshot.</summary>
internal static class Pages
{
    public static async Task<IBrowserContext> SignedInAsync(Chromium chromium, ProductUnderTest stack, bool javaScript = true)
    {
        var context = await chromium.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = stack.WebAddress.ToString(),
            ViewportSize = new ViewportSize { Width = 1280, Height = 900 },
            JavaScriptEnabled = javaScript,
        });
        context.SetDefaultTimeout(30_000);
        var page = await context.NewPageAsync();
        await page.GotoAsync("signin");
        await page.GetByLabel("User name").FillAsync(ProductUnderTest.EditorUser);
        await page.GetByLabel("Password").FillAsync(ProductUnderTest.EditorPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.WaitForURLAsync(url => !url.Contains("/signin", StringComparison.Ordinal));
        await page.CloseAsync();
        return context;
    }

    /// <summary>Labels on form fields, names on links, buttons, players and figures, alt text on images, a language and a title.</summary>
    public static async Task AssertAccessibleAsync(IPage page)
    {
        var problems = await page.EvaluateAsync<string[]>("""
            () => {
              const problems = [];
              const short = (el) => el.outerHTML.slice(0, 120);
              for (const el of document.querySelectorAll("input:not([type=hidden]), select, textarea")) {
                const labelled = (el.id && document.querySelector(`label[for="${el.id}"]`)) || el.closest("label")
                  || el.getAttribute("aria-label") || el.getAttribute("aria-labelledby");
                if (!labelled) problems.push("unlabelled field " + short(el));
              }
              for (const el of document.querySelectorAll("a[href], button")) {
                const name = (el.getAttribute("aria-label") || el.textContent || "").trim();
                if (!name) problems.push("nameless control " + short(el));
                if (el.tabIndex < 0) problems.push("control out of the tab order " + short(el));
              }
              for (const el of document.querySelectorAll("img")) if (!el.hasAttribute("alt")) problems.push("image without alt " + short(el));
              for (const el of document.querySelectorAll("svg[role]"))
                if (!el.getAttribute("aria-label") && !el.getAttribute("aria-labelledby")) problems.push("unnamed figure " + short(el));
              for (const el of document.querySelectorAll("audio")) if (!el.getAttribute("aria-label")) problems.push("unnamed player " + short(el));
              if (!document.documentElement.lang) problems.push("no page language");
              if (!document.title.trim()) problems.push("no page title");
              if (!document.querySelector("h1")) problems.push("no h1");
              return problems;
            }
            """);
        Assert.True(problems.Length == 0, $"{page.Url}: {string.Join("; ", problems)}");
    }

    public static Task ScreenshotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Chromium.ScreenshotDirectory, $"{name}.png"), FullPage = true });
}
