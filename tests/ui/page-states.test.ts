import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import { startFakeLlm, type FakeLlm } from "../fake-llm/server";
import { createGate } from "../fake-llm/training";
import { byModelJudge, waitDone } from "../evaluation/helpers";
import { createTestApp, type TestApp } from "../helpers/test-app";
import { HAVE_CHROMIUM, launchBrowser, listen, newPage, shot } from "./browser";
import { seedVersions } from "./seed";

// What a person sees when things are slow or break, and the forms that start work: a chart that
// cannot be drawn says so, live updates that fail say so and recover, a form sent twice starts
// one evaluation, a candidate is evaluated from the versions page, a benchmark dataset is
// imported from the held-out & datasets page. Loopback mode (no admin key): the UI is open.

const gate = createGate();
let fake: FakeLlm;
let t: TestApp;
let server: { url: string; close(): Promise<void> };
let browser: Browser;

async function evaluationCount(): Promise<number> {
  const res = await t.call("GET", "/v1/evaluations?limit=100");
  expect(res.status, res.text).toBe(200);
  return res.json.data.length;
}

describe.skipIf(!HAVE_CHROMIUM)("console page states and forms in Chromium", { timeout: 90_000 }, () => {
  beforeAll(async () => {
    fake = await startFakeLlm({ behavior: async (req, ctx) => (await gate.wait(), byModelJudge(req, ctx)) });
    t = await createTestApp({ llmUrl: fake.url, jobs: true });
    await seedVersions(t, {});
    server = await listen(t);
    browser = await launchBrowser();
  }, 120_000);
  afterAll(async () => {
    gate.release();
    await browser?.close();
    await server?.close();
    await t?.close();
    await fake?.close();
  });

  it("a chart whose library cannot load says so, and the page keeps its table", async () => {
    const { context, page } = await newPage(browser);
    await page.route("**/chart.umd.min.js", (r) => r.abort());
    await page.goto(`${server.url}/ui/evaluators/default`);
    const box = page.locator(".chart", { has: page.locator("#versions-chart") });
    await expect.poll(() => box.getAttribute("data-chart-state")).toBe("error");
    expect(await box.textContent()).toContain("could not be drawn");
    expect(await page.locator("[data-testid=versions-table] tbody tr").count()).toBe(3);
    await shot(page, "state-chart-error");
    await context.close();

    // With the library, the same chart draws and its note goes away.
    const ok = await newPage(browser);
    await ok.page.goto(`${server.url}/ui/evaluators/default`);
    const drawn = ok.page.locator(".chart", { has: ok.page.locator("#versions-chart") });
    await expect.poll(() => drawn.getAttribute("data-chart-state")).toBe("ready");
    expect(await drawn.locator(".chart-note").isVisible()).toBe(false);
    expect(ok.problems).toEqual([]);
    await ok.context.close();
  });

  it("evaluates a candidate from the versions page; a form sent twice starts one evaluation; live updates pause visibly and recover", async () => {
    const { context, page } = await newPage(browser);
    await page.goto(`${server.url}/ui/evaluators/default`);
    const before = await evaluationCount();
    gate.hold(); // the evaluation stays running while we look at it
    await page.selectOption("[data-testid=evaluate-form] select[name=version]", { label: "v3 (rejected)" });
    // Failing live updates from the start: the evaluation page's first polls answer 503.
    let failLive = true;
    await page.route("**/ui/evaluations/*/live", (r) => (failLive ? r.fulfill({ status: 503, body: "down" }) : r.continue()));
    // A double click: the second click lands while the first post is still on its way (held
    // 400 ms here). The busy form must not send it again.
    let posts = 0;
    await page.route("**/ui/evaluations", async (r) => {
      if (r.request().method() !== "POST") return r.continue();
      posts += 1;
      await new Promise((res) => setTimeout(res, 400));
      return r.continue();
    });
    await Promise.all([
      page.waitForURL(/\/ui\/evaluations\/[0-9a-f-]{36}$/),
      page.evaluate(async () => {
        const button = (globalThis as any).document.querySelector("[data-testid=evaluate]");
        button.click();
        await new Promise((res) => setTimeout(res, 100));
        button.click();
      }),
    ]);
    expect(posts).toBe(1);
    expect(await page.textContent(".flash")).toContain("Evaluation of v3 against v2 on the held-out set started");
    expect(await evaluationCount()).toBe(before + 1);
    const id = page.url().split("/").pop()!;

    const status = page.locator(".live-status");
    await expect.poll(() => status.textContent(), { timeout: 15_000 }).toContain("Live updates paused (HTTP 503)");
    await shot(page, "state-live-paused");
    failLive = false;
    gate.release();
    await expect.poll(() => status.textContent(), { timeout: 30_000 }).toContain("Live updates resumed");
    expect((await waitDone(t, id, {}, 30_000)).status).toBe("completed");
    await expect.poll(() => page.locator("[data-testid=evaluation-progress]").textContent(), { timeout: 15_000 }).not.toContain("updating live");
    await shot(page, "state-live-recovered");
    await context.close();
  });

  it("imports a benchmark dataset from the held-out & datasets page, and a bad file imports nothing", async () => {
    const { context, page, problems } = await newPage(browser);
    await page.goto(`${server.url}/ui/heldout`);
    expect(await page.title()).toContain("datasets");
    const rows = [
      { prompt: "What is 2+2?", chosen: "4", rejected: "5", subset: "math-prm", id: 1 },
      { prompt: "Say hi", chosen: "Hi!", rejected: "Go away.", subset: "alpacaeval-easy", id: 2 },
      { prompt: "Say bye", chosen: "Bye!", rejected: "No.", subset: "alpacaeval-easy", id: 3 },
    ];
    const jsonl = (xs: unknown[]) => Buffer.from(xs.map((x) => JSON.stringify(x)).join("\n") + "\n");
    const form = page.locator("[data-testid=dataset-upload-form]");
    await form.locator("input[name=name]").fill("rb-mini");
    await form.locator("select[name=format]").selectOption("rewardbench");
    await form.locator("input[type=file]").setInputFiles({ name: "rb-mini.jsonl", mimeType: "", buffer: jsonl(rows) });
    await Promise.all([page.waitForURL(/\/ui\/heldout/), form.locator("button[type=submit]").click()]);
    expect(await page.textContent(".flash")).toContain("Dataset rb-mini imported: 3 items in 2 subsets");
    expect(await page.textContent("[data-testid=datasets]")).toContain("rb-mini");
    const api = await t.call("GET", "/v1/datasets/rb-mini");
    expect(api.status, api.text).toBe(200);
    expect(api.json.subsets).toEqual({ "math-prm": 1, "alpacaeval-easy": 2 });
    await shot(page, "state-dataset-imported");
    expect(problems).toEqual([]);

    // Row 2 lacks `rejected`: the whole file is refused, naming the row, and nothing is kept.
    const bad = [rows[0], { prompt: "x", chosen: "y", subset: "alpacaeval-easy", id: 9 }];
    await form.locator("input[name=name]").fill("rb-bad");
    await form.locator("input[type=file]").setInputFiles({ name: "rb-bad.jsonl", mimeType: "", buffer: jsonl(bad) });
    await form.locator("button[type=submit]").click();
    await page.waitForLoadState();
    const text = (await page.textContent("body")) ?? "";
    expect(text).toMatch(/rejected/);
    expect(text).toMatch(/2/);
    expect((await t.call("GET", "/v1/datasets/rb-bad")).status).toBe(404);
    await shot(page, "state-dataset-refused");
    await context.close();
  });
});
