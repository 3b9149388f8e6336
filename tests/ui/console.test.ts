import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import { startFakeLlm, type Behavior, type FakeLlm } from "../fake-llm/server";
import { createGate, samplePool, trainingFake } from "../fake-llm/training";
import { byModelJudge } from "../evaluation/helpers";
import { createTestApp, type TestApp } from "../helpers/test-app";
import { HAVE_CHROMIUM, launchBrowser, listen, newPage, shot, signIn } from "./browser";
import { seedFinishedRun, seedJudgments, seedVersions } from "./seed";

// The web console in a real browser (headless Chromium): the real app on a test database, the
// fake LLM over HTTP, data seeded through the API, then clicks as a user would.

const ADMIN_KEY = "console-test-admin-key-0123456789";
const ADMIN = { authorization: `Bearer ${ADMIN_KEY}` };

// One fake LLM for both worlds: the seeded held-out and judge pairs (GOOD/weak answers) go to the
// by-model judge, the training loop's prompts to the training simulator (annotation can be held).
const gate = createGate();
const sim = trainingFake({ annotationGate: () => gate.wait() });
const behavior: Behavior = (req, ctx) =>
  /GOOD answer|weak answer/.test(JSON.stringify(req.messages)) ? byModelJudge(req, ctx) : sim.behavior(req, ctx);

let fake: FakeLlm;
let t: TestApp;
let server: { url: string; close(): Promise<void> };
let browser: Browser;
let judgeSecret = "";

describe.skipIf(!HAVE_CHROMIUM)("web console in Chromium", { timeout: 90_000 }, () => {
  beforeAll(async () => {
    fake = await startFakeLlm({ behavior });
    t = await createTestApp({ llmUrl: fake.url, jobs: true, env: { SELFJUDGE_ADMIN_KEY: ADMIN_KEY } });
    await seedVersions(t, ADMIN);
    await seedJudgments(t, ADMIN);
    expect((await t.call("POST", "/v1/traffic", { items: samplePool(60, "ui") }, ADMIN)).status).toBe(200);
    await seedFinishedRun(t, ADMIN);
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
    const versions = await t.call("GET", "/v1/versions", undefined, ADMIN);
    const evaluated = versions.json.data.filter((v: { metrics: unknown }) => v.metrics).map((v: { name: string; number: number }) => v);
    evaluated.sort((a: { number: number }, b: { number: number }) => a.number - b.number);
    expect(evaluated.length).toBeGreaterThanOrEqual(3);
    expect(points.labels).toEqual(evaluated.map((v: { name: string }) => v.name));
    expect(points.accuracy.every((x: unknown) => typeof x === "number")).toBe(true);
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

  it("starts a training run from the form and shows its progress live, without a reload", async () => {
    const { context, page, problems } = await newPage(browser);
    await signIn(page, server.url, ADMIN_KEY);
    await page.goto(`${server.url}/ui/training`);
    expect(await page.locator("[data-testid=training-runs] tbody tr").count()).toBe(1);
    gate.hold();
    await page.fill("form[data-testid=start-run] input[name=sample_size]", "16");
    await page.fill("form[data-testid=start-run] input[name=samples_per_pair]", "4");
    await page.fill("form[data-testid=start-run] input[name=heldout_fraction]", "0.3");
    await page.fill("form[data-testid=start-run] input[name=seed]", "11");
    await Promise.all([page.waitForURL(/\/ui\/training\/[0-9a-f-]{36}$/), page.click("form[data-testid=start-run] button[type=submit]")]);
    await page.evaluate(() => ((globalThis as any).__sameDocument = true));
    // Annotation is held: the live region reaches the annotate step and stays there.
    await page.waitForFunction(() => (globalThis as any).document.querySelector("[data-testid=progress-annotate]") !== null, undefined, { timeout: 30_000 });
    const before = await page.textContent("[data-testid=progress-annotate]");
    await shot(page, "training-run-running");
    gate.release();
    await page.waitForFunction(
      (text) => {
        const d = (globalThis as any).document;
        const el = d.querySelector("[data-testid=progress-annotate]");
        return d.querySelector("[data-testid=run-live] [data-final]") !== null || (el && el.textContent !== text);
      },
      before,
      { timeout: 30_000 },
    );
    await page.waitForSelector("[data-testid=run-live] [data-final]", { timeout: 60_000 });
    expect(await page.evaluate(() => (globalThis as any).__sameDocument)).toBe(true);
    expect(await page.textContent("[data-testid=run-live]")).toContain("completed");
    await shot(page, "training-run-finished");
    expect(problems).toEqual([]);
    await context.close();
  });

  it("loads every page with no console error and no failed request; uploads JSONL and creates a key", async () => {
    const { context, page, problems } = await newPage(browser);
    await signIn(page, server.url, ADMIN_KEY);
    const evaluation = (await t.call("GET", "/v1/evaluations?limit=1", undefined, ADMIN)).json.data[0];
    const run = (await t.call("GET", "/v1/training/runs?limit=1", undefined, ADMIN)).json.data[0];
    const judgment = (await t.call("GET", "/v1/judgments?limit=1", undefined, ADMIN)).json.data[0];
    const pages: Array<[string, string, string]> = [
      ["overview", "/", "#judgments-chart"],
      ["evaluator", "/ui/evaluators/default", "#versions-chart"],
      ["evaluations", "/ui/evaluations", "[data-testid=evaluations]"],
      ["evaluation", `/ui/evaluations/${evaluation.id}`, "#category-chart"],
      ["training", "/ui/training", "[data-testid=training-runs]"],
      ["training-run", `/ui/training/${run.id}`, "[data-testid=iterations]"],
      ["judgments", "/ui/judgments", "[data-testid=judgments]"],
      ["judgment", `/ui/judgments/${judgment.id}`, "[data-testid=raw-outputs]"],
      ["heldout", "/ui/heldout", "#heldout-chart"],
      ["keys", "/ui/keys", "[data-testid=keys], .empty"],
    ];
    for (const [name, path, ready] of pages) {
      const res = await page.goto(`${server.url}${path}`);
      expect(res?.status(), path).toBe(200);
      await page.waitForSelector(ready);
      await shot(page, `page-${name}`);
    }
    // Empty state: an evaluator with nothing yet.
    expect((await t.call("POST", "/v1/evaluators", { name: "fresh" }, ADMIN)).status).toBe(201);
    await page.goto(`${server.url}/ui/evaluators/fresh`);
    expect(await page.textContent("main")).toContain("No version has been evaluated yet");
    // Error state: an unknown evaluator is a 404 page, not a stack trace.
    const missing = await page.goto(`${server.url}/ui/evaluators/nope`);
    expect(missing?.status()).toBe(404);
    expect(await page.textContent("main")).toContain("evaluator 'nope' does not exist");
    problems.splice(0); // the 404 above is the point of that check

    await page.goto(`${server.url}/ui/heldout`);
    const before = Number(await page.textContent("[data-testid=heldout-total]"));
    const jsonl = [0, 1, 2].map((i) => JSON.stringify({ instruction: `uploaded ${i}`, response_a: "x", response_b: "y", label: "A", source: "import", category: "upload" })).join("\n");
    await page.setInputFiles("form[data-testid=upload-form] input[type=file]", { name: "pairs.jsonl", mimeType: "application/jsonl", buffer: Buffer.from(jsonl) });
    await page.click("form[data-testid=upload-form] button[type=submit]");
    await page.waitForSelector("[data-testid=upload-result]");
    expect(await page.textContent("[data-testid=upload-result]")).toContain("Imported 3 of 3");
    expect(Number(await page.textContent("[data-testid=heldout-total]"))).toBe(before + 3);
    await shot(page, "heldout-uploaded");

    // A benchmark dataset (issue 8) shows on the same page, and a version is evaluated on it from there.
    const rows = Array.from({ length: 6 }, (_, i) =>
      JSON.stringify({ instruction: `bench question ${i}`, response_a: `GOOD answer ${i}`, response_b: `weak answer ${i}`, label: "A", category: i % 2 ? "easy" : "hard", source: "human" }),
    ).join("\n");
    const imported = await t.app.request("/v1/datasets?name=mini-bench&format=pairs", {
      method: "POST",
      headers: { ...ADMIN, "content-type": "application/x-ndjson" },
      body: rows,
    });
    expect(imported.status, await imported.clone().text()).toBe(201);
    await page.goto(`${server.url}/ui/heldout`);
    expect(await page.textContent("[data-testid=datasets]")).toContain("mini-bench");
    await page.selectOption("[data-testid=datasets] select[name=version]", "v2");
    await Promise.all([page.waitForURL(/\/ui\/evaluations\/[0-9a-f-]{36}$/), page.click("[data-testid=datasets] button[type=submit]")]);
    await page.waitForSelector("[data-final] [data-testid=section-benchmark]", { timeout: 30_000 });
    expect(await page.textContent("[data-testid=benchmark-dataset]")).toContain("mini-bench");
    await shot(page, "benchmark-evaluation");

    await page.goto(`${server.url}/ui/keys`);
    await page.fill("form[data-testid=create-key] input[name=name]", "browser-judge");
    await page.selectOption("form[data-testid=create-key] select[name=scope]", "judge");
    await page.click("form[data-testid=create-key] button[type=submit]");
    judgeSecret = (await page.textContent("[data-testid=secret]"))!.trim();
    expect(judgeSecret).toMatch(/^sj_/);
    expect((await t.call("POST", "/v1/judge", { instruction: "q", response_a: "GOOD answer", response_b: "weak answer" }, { authorization: `Bearer ${judgeSecret}` })).status).toBe(200);
    await shot(page, "keys-created");
    expect(problems).toEqual([]);
    await context.close();
  });

  it("a judge-scope session sees judgments without admin buttons, and a forged admin form post gets 403", async () => {
    const { context, page, problems } = await newPage(browser);
    await signIn(page, server.url, judgeSecret);
    expect(new URL(page.url()).pathname).toBe("/ui/judgments");
    const nav = await page.textContent("header nav");
    expect(nav).not.toContain("Keys");
    expect(nav).not.toContain("Training");
    await page.locator("[data-testid=judgments] tbody tr a").first().click();
    await page.waitForSelector("[data-testid=raw-outputs]");
    expect(await page.locator("[data-testid=feedback-form], [data-testid=rollback], form[action*=activate]").count()).toBe(0);
    await shot(page, "judge-scope-judgment");
    expect(problems).toEqual([]);

    const activeBefore = (await t.call("GET", "/v1/versions/active", undefined, ADMIN)).json.name;
    const forged = await page.evaluate(async () => {
      const d = (globalThis as any).document;
      const token = d.querySelector("input[name=_csrf]").value;
      const body = new URLSearchParams({ _csrf: token, reason: "forged by a judge key" });
      const res = await fetch("/ui/evaluators/default/rollback", { method: "POST", body, credentials: "same-origin" });
      return res.status;
    });
    expect(forged).toBe(403);
    const admin = await page.goto(`${server.url}/ui/keys`);
    expect(admin?.status()).toBe(403);
    const active = await t.call("GET", "/v1/versions/active", undefined, ADMIN);
    expect(active.json.name).toBe(activeBefore);
    await context.close();
  });

  it("refuses a form post without the CSRF token, and signs out", async () => {
    const { context, page } = await newPage(browser);
    await signIn(page, server.url, ADMIN_KEY);
    await page.goto(`${server.url}/ui/evaluators/default`);
    const before = await page.textContent("[data-testid=active-version]");
    const status = await page.evaluate(async () => {
      const body = new URLSearchParams({ reason: "no token here" });
      const res = await fetch("/ui/evaluators/default/rollback", { method: "POST", body, credentials: "same-origin" });
      return res.status;
    });
    expect(status).toBe(403);
    await page.reload();
    expect(await page.textContent("[data-testid=active-version]")).toBe(before);

    await Promise.all([page.waitForURL(/\/ui\/login$/), page.click("header form[action='/ui/logout'] button")]);
    const after = await page.goto(`${server.url}/ui/evaluators/default`);
    expect(new URL(page.url()).pathname).toBe("/ui/login");
    expect(after?.status()).toBe(200);
    await shot(page, "login");
    await context.close();
  });
});
