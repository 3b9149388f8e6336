import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import { startFakeLlm, type FakeLlm } from "../fake-llm/server";
import { byModelJudge } from "../evaluation/helpers";
import { createTestApp, type TestApp } from "../helpers/test-app";
import { HAVE_CHROMIUM, launchBrowser, listen, newPage, shot, signIn } from "./browser";
import { seedVersions } from "./seed";

// The web console in a real browser (headless Chromium): the real app on a test database, the
// fake LLM over HTTP, data seeded through the API, then clicks as a user would.

const ADMIN_KEY = "console-test-admin-key-0123456789";
const ADMIN = { authorization: `Bearer ${ADMIN_KEY}` };

let fake: FakeLlm;
let t: TestApp;
let server: { url: string; close(): Promise<void> };
let browser: Browser;

describe.skipIf(!HAVE_CHROMIUM)("web console in Chromium", () => {
  beforeAll(async () => {
    fake = await startFakeLlm({ behavior: byModelJudge });
    t = await createTestApp({ llmUrl: fake.url, jobs: true, env: { SELFJUDGE_ADMIN_KEY: ADMIN_KEY } });
    await seedVersions(t, ADMIN);
    server = await listen(t);
    browser = await launchBrowser();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await t?.close();
    await fake?.close();
  });

  it("signs in with the admin key, plots one point per evaluated version, and rolls back with a reason", async () => {
    const { context, page, problems } = await newPage(browser);
    await signIn(page, server.url, ADMIN_KEY);
    await shot(page, "overview");
    await page.click("text=default");
    await page.waitForSelector("#versions-chart");
    const points = await page.evaluate(() => {
      const w = globalThis as any;
      const chart = w.Chart.getChart(w.document.getElementById("versions-chart"));
      return { labels: chart.data.labels, accuracy: chart.data.datasets[0].data };
    });
    expect(points.labels).toEqual(["v1", "v2", "v3"]);
    expect(points.accuracy).toHaveLength(3);
    expect(await page.textContent("[data-testid=active-version]")).toBe("v2");
    await shot(page, "versions");

    await page.fill("form[action$='/rollback'] input[name=reason]", "v2 misjudges code answers");
    await Promise.all([page.waitForURL(/\/ui\/evaluators\/default$/), page.click("[data-testid=rollback]")]);
    expect(await page.textContent("[data-testid=active-version]")).toBe("v1");
    const active = await t.call("GET", "/v1/versions/active", undefined, ADMIN);
    expect(active.json.name).toBe("v1");
    expect(await page.textContent("[data-testid=audit-trail]")).toContain("v2 misjudges code answers");
    await shot(page, "versions-after-rollback");
    expect(problems).toEqual([]);
    await context.close();
  });
});
