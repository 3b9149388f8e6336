import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import { startFakeLlm, type FakeLlm } from "../fake-llm/server";
import { byModelJudge } from "../evaluation/helpers";
import { createTestApp, type TestApp } from "../helpers/test-app";
import { HAVE_CHROMIUM, launchBrowser, listen, newPage, shot, signIn } from "./browser";
import { seedJudgments, seedVersions } from "./seed";

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
    await seedJudgments(t, ADMIN);
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

  it("overview shows traffic from the daily stats; judgments are searchable, and a feedback click makes held-out gold", async () => {
    const { context, page, problems } = await newPage(browser);
    await signIn(page, server.url, ADMIN_KEY);
    await page.waitForSelector("#judgments-chart");
    expect(await page.textContent("[data-testid=stat-requests]")).toBe("55");
    expect(await page.textContent("[data-testid=stat-cache]")).toBe("9.1%");
    await shot(page, "overview");

    await page.click("nav >> text=Judgments");
    expect(await page.locator("[data-testid=judgments] tbody tr").count()).toBe(50);
    await page.fill("input[name=q]", "zebra");
    await Promise.all([page.waitForURL(/q=zebra/), page.click("form[data-testid=judgment-filters] button[type=submit]")]);
    const rows = page.locator("[data-testid=judgments] tbody tr");
    expect(await rows.count()).toBe(5);
    await shot(page, "judgments");

    await rows.first().locator("a").first().click();
    await page.waitForSelector("[data-testid=raw-outputs]");
    const id = page.url().split("/").pop()!;
    await page.fill("[data-testid=feedback-form] input[name=note]", "B is clearer");
    await Promise.all([page.waitForURL(/#feedback$/), page.click("[data-testid=feedback-B]")]);
    expect(await page.textContent("[data-testid=heldout-label]")).toContain("B better");
    await shot(page, "judgment");
    const gold = await t.call("GET", "/v1/heldout?source=human&limit=100", undefined, ADMIN);
    expect(gold.json.data.filter((h: { judgment_id: string }) => h.judgment_id === id)).toMatchObject([{ label: "B", source: "human" }]);
    expect(problems).toEqual([]);
    await context.close();
  });
});
