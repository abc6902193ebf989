// Drives Debian's Chromium through the login pages of a running broker (dev defaults) and runs
// axe-core on every page: each front door × language × viewport × colour scheme logs in with a
// wrong code before the right one; an unknown session's page, a cancelled login and a payment
// confirmation are visited too. Fails on any axe violation on the broker's pages (the demo and
// the outbox are dev pages: reported apart, never failing) and on any login that goes wrong.
//
//   node run.mjs --base-url http://127.0.0.1:8080 [--report-only] [--doors rest,oidc]
//       [--langs en,el] [--viewports phone] [--schemes dark] [--json FILE] [--workers 1]
//
// IDBROKER_URL and BROWSER_TEST_REPORT_ONLY=1 do what the first two flags do. Screenshots go
// to target/screenshots/<door>/<lang>-<viewport>-<scheme>-<nn>-<step>.png, emptied each run.
//
// The broker must run with the per-address send limits off (scripts/browser-test.sh does so):
// every login here comes from one address.

import { chromium } from 'playwright-core';
import { appendFile, readFile, mkdir, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);

const DOORS = ['rest', 'oidc', 'saml'];
const LANGS = ['en', 'nb', 'de', 'el', 'pl'];
const VIEWPORTS = {
  phone: { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true },
  desktop: { viewport: { width: 1280, height: 800 } },
};
const SCHEMES = ['light', 'dark'];
// axe has no rule tagged wcag22a; wcag22aa holds the 2.2 additions it checks (target size).
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'];
const UNKNOWN_SESSION = '/auth/login/00000000-0000-4000-8000-000000000000';
// The demo's start buttons share one form; the REST one is its plain submit button.
const DOOR_BUTTON = {
  rest: 'form[action="/demo/start"] button[type=submit]:not([formaction])',
  oidc: 'form[action="/demo/start"] button[formaction$="/demo/oidc/start"]',
  saml: 'form[action="/demo/start"] button[formaction$="/demo/saml/start"]',
};
const MAX_PAGES = 12;
// The hand-off page (form_post.html): a form and an inline script that submits it at once. The
// code page's script calls submit() too, but only later, on a WebOTP answer.
const AUTOPOST = /<script\b[^>]*>\s*document\.getElementById\([^)]*\)\.submit\(\)/;

const options = parseArgs(process.argv.slice(2));
const base = new URL(options.baseUrl);
const shotsDir = path.resolve(here, '../../target/screenshots');
const axeSource = await readFile(require.resolve('axe-core/axe.min.js'), 'utf8');

const violations = []; // one per element: {rule, impact, help, target, summary, step, combo}
const review = new Map(); // rule -> count of elements axe could not decide
const devViolations = [];
const failures = []; // {task, message}
let pagesChecked = 0;
let devPagesChecked = 0;
let numberSeq = 0;
// A random range per run, so that reruns against one broker do not meet the per-number limits.
const numberSalt = Math.floor(Math.random() * 800);

function parseArgs(argv) {
  const o = {
    baseUrl: process.env.IDBROKER_URL || 'http://127.0.0.1:8080',
    reportOnly: ['1', 'true', 'yes'].includes(process.env.BROWSER_TEST_REPORT_ONLY || ''),
    doors: DOORS, langs: LANGS, viewports: Object.keys(VIEWPORTS), schemes: SCHEMES,
    json: null, workers: 2,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const list = (all) => {
      const v = argv[++i].split(',');
      for (const x of v) if (!all.includes(x)) throw new Error(`${a}: unknown value ${x}`);
      return v;
    };
    if (a === '--base-url') o.baseUrl = argv[++i];
    else if (a === '--report-only') o.reportOnly = true;
    else if (a === '--doors') o.doors = list(DOORS);
    else if (a === '--langs') o.langs = list(LANGS);
    else if (a === '--viewports') o.viewports = list(Object.keys(VIEWPORTS));
    else if (a === '--schemes') o.schemes = list(SCHEMES);
    else if (a === '--json') o.json = argv[++i];
    else if (a === '--workers') o.workers = Math.max(1, Math.min(2, Number(argv[++i]) || 1));
    else throw new Error(`unknown argument ${a}`);
  }
  return o;
}

// A GB mobile number in national form (the dev default region is GB; all of 0740x is mobile
// in the numbering plan), one per login; its range (all but the last three digits) differs
// each time, as the per-range limit counts SMS.
function nextNumber() {
  const n = 100 + ((numberSalt + numberSeq++) % 900);
  return `07400 ${n}${String(Math.floor(Math.random() * 1000)).padStart(3, '0')}`;
}

// A page per viewport and scheme, and the suite decides when it navigates. Through Chromium's
// own interception (CDP Fetch, so requests go out exactly as the browser makes them):
// - a navigation the suite did not start (the outcome page's timer, the code page's reload on
//   expiry) is dropped, so that the page being checked stays put;
// - a page that posts itself on at once (the SAML and form_post hand-offs) gets a CSP that
//   blocks its script, so it stays long enough to be checked; it is then sent on with its own
//   button, as a browser without JavaScript would.
async function newPage(context) {
  const page = await context.newPage();
  page.setDefaultTimeout(15000);
  page.autopost = false;
  page.navigating = false;
  const cdp = await context.newCDPSession(page);
  cdp.on('Fetch.requestPaused', async (event) => {
    const { requestId, responseStatusCode: status, responseHeaders: headers = [] } = event;
    try {
      if (status === undefined) {
        if (page.navigating) return await cdp.send('Fetch.continueRequest', { requestId });
        return await cdp.send('Fetch.failRequest', { requestId, errorReason: 'Aborted' });
      }
      const type = headers.find((h) => h.name.toLowerCase() === 'content-type')?.value || '';
      if (status >= 200 && status < 300 && type.startsWith('text/html')) {
        const { body, base64Encoded } = await cdp.send('Fetch.getResponseBody', { requestId });
        const html = base64Encoded ? Buffer.from(body, 'base64').toString('utf8') : body;
        page.autopost = AUTOPOST.test(html);
        if (page.autopost) {
          const csp = "default-src 'none'; style-src 'self'; img-src 'self'";
          const responseHeaders = headers.filter((h) => h.name.toLowerCase() !== 'content-security-policy')
            .concat([{ name: 'Content-Security-Policy', value: csp }]);
          const encoded = base64Encoded ? body : Buffer.from(body).toString('base64');
          return await cdp.send('Fetch.fulfillRequest', { requestId, responseCode: status, responseHeaders, body: encoded });
        }
      }
      await cdp.send('Fetch.continueRequest', { requestId });
    } catch {
      // The page went away (closed, or navigated again) while its document was paused.
    }
  });
  const urlPattern = `${base.origin}/*`;
  await cdp.send('Fetch.enable', { patterns: [
    { urlPattern, resourceType: 'Document', requestStage: 'Request' },
    { urlPattern, resourceType: 'Document', requestStage: 'Response' },
  ] });
  return page;
}

// Runs an action that navigates and waits for the new document's load event.
async function navigate(page, action) {
  const loaded = page.waitForEvent('load');
  page.navigating = true;
  try {
    await action();
    await loaded;
  } finally {
    page.navigating = false;
  }
}

// Names the page by what it asks for: the form actions and the demo's own markup.
async function classify(page) {
  if (!page.url().startsWith(base.origin)) throw new Error(`not on the broker: ${page.url()} (did it stop?)`);
  if (page.autopost) return 'autopost';
  return page.evaluate(() => {
    const form = (end) => document.querySelector(`form[action$="${end}"]`);
    if ([...document.querySelectorAll('h2')].some((h) => h.textContent.startsWith('Result: '))) return 'result';
    if (document.querySelector('form[action="/demo/start"]')) return 'demo';
    if (form('/provider')) return 'choose';
    if (form('/phone')) return document.querySelector('input[name=phone_number]:not([type=hidden])') ? 'phone' : 'send-code';
    if (form('/email')) return 'email';
    if (form('/otp')) return 'code';
    if (form('/onward')) return 'outcome';
    return 'message';
  });
}

// Screenshots and checks the current page. The dev pages (demo, outbox) look alike each time:
// they are taken and checked once per viewport and scheme, as screenshots cost the most here.
async function check(page, task, step, { dev = false, lang = task.lang } = {}) {
  if (!page.url().startsWith(base.origin)) throw new Error(`not on the broker: ${page.url()} (did it stop?)`);
  task.n += 1;
  if (dev && task.group.devSeen.has(step)) return;
  if (dev) task.group.devSeen.add(step);
  const name = `${String(task.n).padStart(2, '0')}-${step}`;
  const dir = path.join(shotsDir, task.door);
  await mkdir(dir, { recursive: true });
  await page.screenshot({ path: path.join(dir, `${task.lang}-${task.viewport}-${task.scheme}-${name}.png`), fullPage: true });
  const combo = { door: task.door, lang: task.lang, viewport: task.viewport, scheme: task.scheme };
  if (!dev && lang) {
    const actual = await page.evaluate(() => document.documentElement.lang);
    if (actual !== lang) {
      failures.push({ task: label(task), message: `${name}: <html lang="${actual}">, wanted ${lang}` });
      task.failed = true;
    }
  }
  await page.evaluate(axeSource);
  const result = await page.evaluate((tags) => window.axe.run(document, {
    runOnly: { type: 'tag', values: tags }, resultTypes: ['violations', 'incomplete'],
  }), AXE_TAGS);
  const into = dev ? devViolations : violations;
  for (const v of result.violations) {
    for (const node of v.nodes) {
      into.push({
        rule: v.id, impact: node.impact || v.impact, help: v.help, target: node.target.join(' '),
        summary: (node.failureSummary || '').split('\n').slice(1).join(' ').trim(), step, combo,
      });
      if (!dev) task.violations += 1;
    }
  }
  if (!dev) for (const v of result.incomplete) review.set(v.id, (review.get(v.id) || 0) + v.nodes.length);
  if (dev) devPagesChecked += 1; else pagesChecked += 1;
}

// Notes what the suite handled for the log scan at the end of make test (TEST_HANDLED_FILE names
// the file; scripts/browser-test.sh sets it): kind and value, a line each.
async function noteHandled(...pairs) {
  const file = process.env.TEST_HANDLED_FILE;
  if (file) await appendFile(file, pairs.map(([kind, value]) => `${kind}\t${value}\n`).join(''));
}

// The newest code the outbox holds for a number, waited for: the send may trail the page.
async function codeFor(page, number) {
  const digits = number.replace(/\D/g, '').replace(/^0/, '');
  const deadline = Date.now() + 10000;
  while (Date.now() < deadline) {
    const response = await page.context().request.get(new URL('/dev/outbox.json', base).href);
    const messages = await response.json();
    const m = messages.find((x) => x.recipient.replace(/\D/g, '').endsWith(digits));
    const code = m && m.text.match(/(?<![\w.,])\d{6,10}(?![\w.,])/);
    if (code) {
      await noteHandled(['number', m.recipient], ['code', code[0]]);
      return code[0];
    }
    await new Promise((r) => setTimeout(r, 100)); // polling the outbox, not waiting for time
  }
  throw new Error(`no code in the outbox for ${number}`);
}

async function submitIn(page, formEnd) {
  await navigate(page, () => page.click(`form[action$="${formEnd}"] button[type=submit]`));
}

// Goes through the broker's pages from wherever the demo sent the browser to the demo's result,
// checking each. `until` stops early on a page kind (for Cancel). Returns the result's status.
async function walk(page, task, number, { until } = {}) {
  let code = null;
  let sent = 0; // codes typed: a wrong one first, then the right one
  for (let i = 0; i < MAX_PAGES; i++) {
    const kind = await classify(page);
    if (kind === 'result') {
      await check(page, task, 'result', { dev: true });
      const h2 = await page.locator('h2', { hasText: /^Result: / }).first().textContent();
      return h2.replace(/^Result: /, '').trim();
    }
    if (kind === 'demo') throw new Error('back on the demo page without a result');
    if (kind === 'code' && sent === 2) throw new Error('the right code was refused');
    const step = kind === 'code' && sent === 1 ? 'code-wrong' : kind;
    await check(page, task, step, { lang: kind === 'autopost' ? null : task.lang });
    if (kind === until) return step;
    if (kind === 'autopost') await navigate(page, () => page.click('main form button[type=submit]'));
    else if (kind === 'choose') await navigate(page, () => page.click('form[action$="/provider"] button[name=provider][value=otp-sms]'));
    else if (kind === 'phone') {
      await page.fill('form[action$="/phone"] input[name=phone_number]', number);
      await submitIn(page, '/phone');
    } else if (kind === 'send-code') await submitIn(page, '/phone'); // the number came with the session
    else if (kind === 'outcome') await submitIn(page, '/onward'); // what its timer would do
    else if (kind === 'code') {
      code ??= await codeFor(page, number);
      const wrong = String((Number(code[0]) + 1) % 10) + code.slice(1);
      await page.fill('form[action$="/otp"] input[name=otp]', sent === 0 ? wrong : code);
      sent += 1;
      await submitIn(page, '/otp');
    } else {
      const text = (await page.textContent('body')).replace(/\s+/g, ' ').trim().slice(0, 160);
      throw new Error(`stuck on a "${kind}" page at ${new URL(page.url()).pathname}: ${text}`);
    }
  }
  throw new Error(`no result after ${MAX_PAGES} pages`);
}

async function openDemo(page, task) {
  await navigate(page, () => page.goto(new URL('/', base).href));
  await check(page, task, 'demo', { dev: true });
}

// The tasks of one viewport and scheme: a function of a page each.
function tasksFor(group, groupIndex, groupCount) {
  const tasks = [];
  // The browser's language: for a login, another than the one picked on the demo, so that the
  // pages' language shows the pick went through; else the language itself, the only way there.
  const add = (door, lang, run, locale = lang === 'en' ? 'de-DE' : 'en-GB') =>
    tasks.push({ door, lang, locale, viewport: group.viewport, scheme: group.scheme, group, n: 0, violations: 0, run });
  for (const lang of options.langs) {
    for (const door of options.doors) {
      add(door, lang, async (page, task) => {
        await openDemo(page, task);
        await page.selectOption('select[name=language]', lang);
        await navigate(page, () => page.click(DOOR_BUTTON[door]));
        const status = await walk(page, task, nextNumber());
        if (!/^SUCCESS/.test(status)) throw new Error(`the demo shows "${status}"`);
      });
    }
    add('error', lang, async (page, task) => {
      await navigate(page, () => page.goto(new URL(UNKNOWN_SESSION, base).href));
      await check(page, task, 'unknown-session');
    }, lang);
    add('cancel', lang, async (page, task) => {
      await openDemo(page, task);
      await page.selectOption('select[name=language]', lang);
      await navigate(page, () => page.click(DOOR_BUTTON.rest));
      await walk(page, task, nextNumber(), { until: 'phone' });
      await navigate(page, () => page.click('form[action$="/cancel"] button[type=submit]'));
      const status = await walk(page, task, null);
      if (/^SUCCESS/.test(status)) throw new Error(`a cancelled login shows "${status}"`);
    });
    // One payment per language, spread over the viewports and schemes.
    if (LANGS.indexOf(lang) % groupCount === groupIndex) {
      add('confirm', lang, async (page, task) => {
        await openDemo(page, task);
        const number = nextNumber();
        await page.fill('form[action="/demo/confirm"] input[name=mobile]', number);
        await navigate(page, () => page.click('form[action="/demo/confirm"] button[type=submit]'));
        const status = await walk(page, task, number);
        if (!/^SUCCESS/.test(status)) throw new Error(`the demo shows "${status}"`);
      }, lang); // the payment form has no language field
    }
  }
  tasks.push({ door: 'dev', lang: 'en', locale: 'en-GB', viewport: group.viewport, scheme: group.scheme, group, n: 0, violations: 0,
    run: async (page, task) => {
      await navigate(page, () => page.goto(new URL('/dev/outbox', base).href));
      await check(page, task, 'outbox', { dev: true });
    } });
  return tasks;
}

const label = (t) => `${t.door} ${t.lang} ${t.viewport} ${t.scheme}`;

// One context and page per viewport and scheme; each task starts without cookies and with its
// own browser language (Accept-Language: a context's locale would override it).
async function runGroup(browser, group, index, count) {
  const context = await browser.newContext({ ...VIEWPORTS[group.viewport], colorScheme: group.scheme, reducedMotion: 'reduce' });
  let page = await newPage(context);
  const results = [];
  for (const task of tasksFor(group, index, count)) {
    await context.clearCookies();
    await page.setExtraHTTPHeaders({ 'Accept-Language': task.locale });
    const started = Date.now();
    try {
      await task.run(page, task);
      results.push({ task, ok: !task.failed && (options.reportOnly || task.violations === 0) });
    } catch (e) {
      failures.push({ task: label(task), message: e.message.split('\n')[0] });
      const shot = `${task.lang}-${task.viewport}-${task.scheme}-${String(task.n + 1).padStart(2, '0')}-failure.png`;
      await mkdir(path.join(shotsDir, task.door), { recursive: true });
      await page.screenshot({ path: path.join(shotsDir, task.door, shot), fullPage: true }).catch(() => {});
      results.push({ task, ok: false });
      await page.close(); // whatever state it is in, the next task gets a new one
      page = await newPage(context);
    }
    const r = results.at(-1);
    console.log(`${r.ok ? 'ok  ' : 'FAIL'} ${label(task)}: ${task.n} pages, ${task.violations} violations, ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
  await context.close();
  return results;
}

// "dark × {en,nb} × phone" when the combinations are a full product of their values, else a list.
function combos(list) {
  const keys = ['door', 'lang', 'viewport', 'scheme'];
  const every = { lang: [options.langs, 'all languages'], viewport: [options.viewports, 'both viewports'], scheme: [options.schemes, 'both schemes'] };
  const seen = new Set(list.map((c) => keys.map((k) => c[k]).join(' ')));
  const values = keys.map((k) => [...new Set(list.map((c) => c[k]))].sort());
  if (values.reduce((n, v) => n * v.length, 1) !== seen.size) return [...seen].sort().join('; ');
  return values.map((v, i) => {
    const all = every[keys[i]];
    return all && all[0].length > 1 && v.length === all[0].length ? all[1] : v.join(',');
  }).join(' × ');
}

function report(title, list) {
  if (list.length === 0) return;
  console.log(`\n${title}: ${list.length} elements`);
  const byRule = new Map();
  for (const v of list) {
    if (!byRule.has(v.rule)) byRule.set(v.rule, []);
    byRule.get(v.rule).push(v);
  }
  for (const [rule, vs] of [...byRule].sort((a, b) => b[1].length - a[1].length)) {
    console.log(`\n${rule} (${vs[0].impact}): ${vs[0].help} — ${vs.length} elements`);
    const bySpot = new Map();
    for (const v of vs) {
      const key = `${v.step} | ${v.target}`;
      if (!bySpot.has(key)) bySpot.set(key, []);
      bySpot.get(key).push(v);
    }
    for (const [key, spot] of [...bySpot].sort()) {
      console.log(`  ${key}  [${combos(spot.map((v) => v.combo))}]`);
      const summaries = [...new Set(spot.map((v) => v.summary))];
      console.log(`    ${summaries[0]}${summaries.length > 1 ? ` (+${summaries.length - 1} variants)` : ''}`);
    }
  }
}

const started = Date.now();
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  // The machine's network is closed: nothing may try to reach out.
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
await rm(shotsDir, { recursive: true, force: true });
const groups = [];
for (const viewport of options.viewports) for (const scheme of options.schemes) groups.push({ viewport, scheme, devSeen: new Set() });
const results = [];
let next = 0;
async function worker() {
  while (next < groups.length) {
    const i = next++;
    results.push(...await runGroup(browser, groups[i], i, groups.length));
  }
}
try {
  await Promise.all(Array.from({ length: Math.min(options.workers, groups.length) }, worker));
} finally {
  await browser.close();
}

report('axe violations on the broker\'s pages', violations);
report('axe violations on the dev pages (demo, outbox; not failing)', devViolations);
if (review.size) console.log(`\naxe could not decide (needs review, not failing): ${[...review].map(([r, n]) => `${r} ${n}`).join(', ')}`);
if (failures.length) {
  console.log(`\nfailures: ${failures.length}`);
  for (const f of failures) console.log(`  ${f.task}: ${f.message}`);
}
if (options.json) await writeFile(options.json, JSON.stringify({ violations, devViolations, failures }, null, 1));
const passed = results.filter((r) => r.ok).length;
console.log(`\n${pagesChecked} broker pages and ${devPagesChecked} dev pages checked in ${((Date.now() - started) / 1000).toFixed(1)} s; screenshots in target/screenshots/${options.reportOnly ? ' (report only: violations do not fail)' : ''}`);
console.log(`browser: ${passed} passed, ${results.length - passed} failed`);
process.exit(failures.length || (!options.reportOnly && violations.length) ? 1 : 0);
