using System.Net.Http.Json;
using IdpBridge.Testing.Browser;
using NUnit.Framework;

namespace IdpBridge.Service.Tests;

/// <summary>The public pages opened in real headless Chromium, served by the real service on 127.0.0.1.</summary>
public sealed class PolicyPagesBrowserTests
{
    [TestCase("es")]
    [TestCase("en")]
    public async Task CurrentPage_InChromium_NoConsoleErrorNothingLeavesTheMachineScreenshotKept(string locale)
    {
        using var harness = new ServiceHarness(onLoopback: true);
        using var admin = harness.Client(harness.AdminToken());
        var published = await admin.PostAsJsonAsync("/api/admin/realms/externos/policies/privacy/versions", new
        {
            documents = new[]
            {
                new { name = "es.md", content = ServiceHarness.DemoPolicy("v1", "es") },
                new { name = "en.md", content = ServiceHarness.DemoPolicy("v1", "en") },
            },
        });
        Assert.That(published.IsSuccessStatusCode, Is.True, await published.Content.ReadAsStringAsync());
        var page = new Uri(admin.BaseAddress!, $"/policies/externos/privacy?lang={locale}");

        await using var browser = await BrowserSession.StartAsync(new BrowserSessionOptions { Width = 412, Height = 915 });
        var visit = await browser.VisitAsync(page);

        Screenshots.Keep($"policy-page-{locale}", visit.ScreenshotPng, $"The current policy page ({locale}) on a phone-sized screen");
        Assert.Multiple(() =>
        {
            Assert.That(page.IsLoopback, Is.True, "the service must be on a real loopback port");
            Assert.That(visit.Status, Is.EqualTo(200));
            Assert.That(visit.ConsoleErrors, Is.Empty);
            Assert.That(visit.RequestsLeavingMachine, Is.Empty);
            Assert.That(visit.Requests, Has.Some.EndsWith("/assets/policy.css"), "the stylesheet loads under the CSP");
            Assert.That(visit.ScreenshotPng, Has.Length.GreaterThan(10_000), "a blank page makes a tiny PNG");
        });
    }
}
