import type { APIRequestContext } from "@playwright/test";
import { checkA11y, expect, residentEmail, test, unique } from "./fixtures";
import { DEMO_PASSWORD } from "../../db/seed";
import { XSS_CORPUS } from "../support/xss-corpus";
import { xssViolations } from "../support/xss-check";

/**
 * "A page full of payloads": more than a hundred vectors of the XSS corpus are posted through the
 * site's own forms as established residents (so they are published at once), then their thread
 * pages are opened in the browser. Nothing may run: no dialog, no canary, no request leaving the
 * site, no CSP violation, no console error; and the DOM inside the cooked content holds no script
 * element, no on* attribute and no script URL. Without JavaScript nothing can run by definition,
 * so in the `nojs` project the DOM assertions carry the test.
 */

/** An open consultation of the demo city, for the threads the payloads go into. */
const PROJECT = "taman-tematik-dan-ruang-terbuka-hijau-babakan-asih";

/**
 * Seeded residents (db/seed.ts), each established and with at least two published contributions.
 * Each project of the run takes its own eighteen, so that the two runs never share a per-minute
 * posting limit (six a minute each: 18 × 6 = 108 posts). None of them is used by another spec.
 */
const POSTERS = {
  js: [
    "Rina Marlina",
    "Neng Yuliani",
    "Dadang Hermawan",
    "Yusuf Maulana",
    "Siti Rohmah",
    "Budi Santoso",
    "Hendra Gunawan",
    "Iis Rahmawati",
    "Rudi Permana",
    "Nurul Hidayah",
    "Teguh Prasetyo",
    "Lilis Suhartini",
    "Cecep Rahmat",
    "Ayu Lestari",
    "Fajar Nugraha",
    "Intan Permatasari",
    "Dodi Firmansyah",
    "Ratna Anggraeni",
  ],
  nojs: [
    "Iwan Kurniawan",
    "Maya Puspitasari",
    "Ahmad Fauzi",
    "Dewi Kusumawati",
    "Yayan Sopyan",
    "Tati Sumiati",
    "Irfan Maulidi",
    "Sri Wahyuni",
    "Andi Pratama",
    "Kartika Sari",
    "Nining Kurniati",
    "Galih Pamungkas",
    "Putri Handayani",
    "Engkus Kuswara",
    "Hana Fitriani",
    "Wawan Setiawan",
    "Yanti Nurjanah",
    "Wulan Sari",
  ],
} as const;

const POSTS_PER_MINUTE = 6;
const THREADS = 3;

/** What the site stores of a body: control characters other than tab and newline dropped, trimmed. */
const stored = (text: string) => text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, "").trim();

/**
 * Payloads spread evenly over the whole corpus (OWASP vectors, event handlers, Markdown vectors),
 * a different selection for each project, none that the site would refuse as empty or as a
 * duplicate of another by the same author.
 */
function selectPayloads(count: number, offset: number): string[] {
  const chosen: string[] = [];
  const seen = new Set<string>();
  for (let k = 0; chosen.length < count && k < XSS_CORPUS.length; k++) {
    const payload = XSS_CORPUS[(Math.floor((k * XSS_CORPUS.length) / count) + offset) % XSS_CORPUS.length]!;
    const key = stored(payload);
    if (!key || key.length > 10_000 || seen.has(key)) continue;
    seen.add(key);
    chosen.push(payload);
  }
  return chosen;
}

async function signedInClient(name: string, newRequest: () => Promise<APIRequestContext>) {
  const client = await newRequest();
  const response = await client.post("/login", {
    form: { email: residentEmail(name), password: DEMO_PASSWORD, redirectTo: "/" },
    maxRedirects: 0,
  });
  expect(response.status(), `signing in ${name}`).toBe(302);
  return client;
}

test("a page full of XSS payloads runs no script and loads nothing from elsewhere", async ({ page, playwright, baseURL }, testInfo) => {
  test.setTimeout(120_000);
  const names = POSTERS[testInfo.project.name as keyof typeof POSTERS];
  if (!names) throw new Error(`no posters for project ${testInfo.project.name}`);
  const capacity = names.length * POSTS_PER_MINUTE;
  const payloads = selectPayloads(capacity, testInfo.project.name === "js" ? 0 : 3);
  expect(payloads.length).toBeGreaterThanOrEqual(100);

  // Every poster signs in with their own session.
  const clients = await Promise.all(
    names.map((name) => signedInClient(name, () => playwright.request.newContext({ baseURL, extraHTTPHeaders: { Origin: baseURL! } }))),
  );
  try {
    // Three threads, each opened by one poster with a payload as its body.
    const threadIds: number[] = [];
    for (let t = 0; t < THREADS; t++) {
      const response = await clients[t]!.post(`/projects/${PROJECT}/threads/new`, {
        form: { intent: "open", title: `Uji muatan ${t + 1} ${unique("xss")}`, body: payloads[t]! },
        maxRedirects: 0,
      });
      expect(response.status(), `opening thread ${t + 1}`).toBe(302);
      const location = response.headers()["location"] ?? "";
      const match = new RegExp(`^/projects/${PROJECT}/threads/(\\d+)$`).exec(location);
      expect(match, `thread ${t + 1} redirects to its page, not ${location}`).not.toBeNull();
      threadIds.push(Number(match![1]));
    }

    // The other payloads as comments: poster i posts into thread i % 3, six posts a poster at
    // most in all (the three who opened a thread have five left).
    const slots: number[] = [];
    for (let round = 0; round < POSTS_PER_MINUTE; round++) {
      for (let i = 0; i < names.length; i++) if (round < POSTS_PER_MINUTE - (i < THREADS ? 1 : 0)) slots.push(i);
    }
    const comments = payloads.slice(THREADS).map((body, j) => ({ body, poster: slots[j]! }));
    const perThread = new Array<number>(THREADS).fill(0);
    await Promise.all(
      clients.map(async (client, i) => {
        const threadIndex = i % THREADS;
        for (const { body } of comments.filter((c) => c.poster === i)) {
          const response = await client.post(`/projects/${PROJECT}/threads/${threadIds[threadIndex]}`, {
            form: { intent: "comment", mode: "comment", body, stance: "" },
            maxRedirects: 0,
          });
          const location = response.headers()["location"] ?? "";
          expect(response.status(), `posting ${JSON.stringify(body)} as ${names[i]}: ${location || (await response.text()).slice(0, 200)}`).toBe(302);
          expect(location).toMatch(new RegExp(`/threads/${threadIds[threadIndex]}\\?comment=\\d+#comment-\\d+$`));
          perThread[threadIndex]!++;
        }
      }),
    );
    expect(perThread.reduce((a, b) => a + b, 0) + THREADS).toBe(payloads.length);

    // The browser part: a visitor opens each thread page.
    const dialogs: string[] = [];
    page.on("dialog", async (dialog) => {
      dialogs.push(`${dialog.type()}: ${dialog.message()}`);
      await dialog.dismiss();
    });
    const origin = new URL(baseURL!).origin;
    const foreign: string[] = [];
    page.on("request", (request) => {
      const url = new URL(request.url());
      if (url.protocol !== "data:" && url.origin !== origin) foreign.push(request.url());
    });
    await page.addInitScript(() => {
      const w = window as unknown as Record<string, unknown>;
      const trip = (what: string) =>
        function () {
          w.__xss = true;
          ((w.__xssCalls as string[] | undefined) ?? (w.__xssCalls = [])).push(what);
        };
      for (const name of ["alert", "confirm", "prompt", "print"]) w[name] = trip(name);
      // eval stays (Playwright's own evaluate needs it); the CSP forbids it to page scripts, and a
      // refused eval shows up below as a CSP violation and as a console error.
      const realFetch = window.fetch.bind(window);
      window.fetch = (input: RequestInfo | URL, init?: RequestInit) => {
        const url = new URL(input instanceof Request ? input.url : String(input), location.href);
        if (url.origin !== location.origin) trip(`fetch ${url.href}`)();
        return realFetch(input, init);
      };
      document.addEventListener("securitypolicyviolation", (event) => {
        ((w.__cspViolations as string[] | undefined) ?? (w.__cspViolations = [])).push(`${event.violatedDirective} ${event.blockedURI}`);
      });
    });

    for (const [t, threadId] of threadIds.entries()) {
      await page.goto(`/projects/${PROJECT}/threads/${threadId}`);
      await expect(page.getByRole("heading", { level: 1, name: /^Uji muatan / })).toBeVisible();
      await expect(page.getByRole("heading", { level: 2, name: `Komentar (${perThread[t]})` })).toBeVisible();
      // Every comment is on the page (a payload may cook to nothing, so count the comments).
      await expect(page.locator("article[id^='comment-']")).toHaveCount(perThread[t]!);
      const bodies = page.locator(".prose");
      await page.waitForLoadState("networkidle");
      // Pass the pointer over every payload, for handlers that wait for it.
      for (const box of await bodies.evaluateAll((els) => els.map((el) => el.getBoundingClientRect().toJSON() as DOMRect))) {
        await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
      }
      await page.mouse.move(0, 0);

      const dom = await page.evaluate(() => {
        const prose = [...document.querySelectorAll(".prose")];
        const inside = prose.flatMap((el) => [...el.querySelectorAll("*")]);
        return {
          scripts: document.querySelectorAll(".prose script").length,
          handlers: inside.flatMap((el) => [...el.attributes].filter((a) => /^on/i.test(a.name)).map((a) => `<${el.tagName.toLowerCase()} ${a.name}>`)),
          scriptUrls: inside.flatMap((el) =>
            [...el.attributes]
              .filter((a) => /^(href|src|action|formaction|xlink:href|data)$/i.test(a.name))
              .filter((a) => /^(javascript|vbscript|data|livescript):/i.test(a.value.replace(/[\s\u0000-\u001f]+/g, "")))
              .map((a) => `${a.name}=${a.value}`),
          ),
          html: prose.map((el) => el.innerHTML),
          xss: (window as unknown as { __xss?: boolean }).__xss,
          calls: (window as unknown as { __xssCalls?: string[] }).__xssCalls ?? [],
          csp: (window as unknown as { __cspViolations?: string[] }).__cspViolations ?? [],
        };
      });
      expect(dom.scripts, "<script> inside user content").toBe(0);
      expect(dom.handlers, "on* attributes inside user content").toEqual([]);
      expect(dom.scriptUrls, "script URLs inside user content").toEqual([]);
      expect(
        dom.html.flatMap((html) => xssViolations(html)),
        "what the browser built from the cooked HTML",
      ).toEqual([]);
      expect(dom.xss, `canary tripped by ${dom.calls.join(", ")}`).toBeUndefined();
      expect(dom.csp, "CSP violations").toEqual([]);
      await checkA11y(page);
    }
    expect(dialogs, "dialogs opened by payloads").toEqual([]);
    expect(foreign, "requests to other origins").toEqual([]);
  } finally {
    await Promise.all(clients.map((c) => c.dispose()));
  }
});
