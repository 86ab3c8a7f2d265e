// ThinkCloud end to end: the real window UI (Svelte, served by vite through
// the dev server of the app's `dev` build, as under `wails dev`) in
// Chromium, calling the real Go services over Wails' IPC, which call the
// fake providers. One app for the whole file; each test opens its own page
// and starts its own conversation.
//
// Run it with tests/e2e/run.sh (Xvfb, a private keyring, the fakes).
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { ARTIFACTS, buildApp, freePort, ipcStats, isWailsNoise, launchBrowser, orderChatStream, portOpen, startApp, waitUntil } from './harness.mjs';

// The app is built here, before any test or hook: compiling it can take
// minutes on a busy machine and must not count against their timeouts.
// (run.sh has built it already and set E2E_APP_BIN.)
buildApp();

let app;
let browser;
/** What earlier tests left behind, for tests that build on them. */
const state = { marmaladeConv: '' };

before(
  async () => {
    // Screenshots and failure dumps of an earlier run would only mislead.
    mkdirSync(ARTIFACTS, { recursive: true });
    for (const f of readdirSync(ARTIFACTS)) {
      if (/^e2e-.*\.(png|failure\.json|failure\.html)$/.test(f)) rmSync(join(ARTIFACTS, f));
    }
    app = await startApp();
    browser = await launchBrowser();
    // The first loads make vite transform every module and pre-bundle the
    // dependencies; pay for that here rather than inside the first test.
    const page = await browser.context.newPage();
    await openApp(page);
    await page.waitForLoadState('networkidle').catch(() => {});
    await page.close();
  },
  { timeout: 480_000 },
);

after(async () => {
  console.log(`# e2e: ${ipcStats.reordered} of ${ipcStats.streamEvents} chat:stream events reached the browser out of order (the chat store reordered them)`);
  await browser?.close();
  await app?.stop();
});

// ---------- helpers ----------

/**
 * Registers one test: a fresh page on the app, a screenshot into
 * build/test-artifacts/e2e-<slug>.png whatever happens, and no uncaught
 * errors allowed in the page.
 */
// A test's timeout bounds a hang: the slowest takes about 10 s on an idle
// 2-core machine.
function e2e(slug, name, fn, { timeout = 240_000 } = {}) {
  test(name, { timeout }, async (t) => {
    const page = await browser.context.newPage();
    const errors = [];
    const consoleLines = [];
    page.on('pageerror', (e) => {
      if (!isWailsNoise(e)) errors.push(e);
    });
    page.on('console', (m) => consoleLines.push(`${m.type()}: ${m.text()}`.slice(0, 500)));
    try {
      await openApp(page);
      await fn(t, page);
    } catch (e) {
      // What the page looked like and heard, for a failure seen once.
      const dump = {
        error: e.stack,
        url: page.url(),
        streamEvents: await page.evaluate(() => window.__e2eStream ?? null).catch((x) => String(x)),
        console: consoleLines.slice(-100),
        pageErrors: errors.map((x) => x.stack),
      };
      writeFileSync(join(ARTIFACTS, `e2e-${slug}.failure.json`), JSON.stringify(dump, null, 2));
      writeFileSync(join(ARTIFACTS, `e2e-${slug}.failure.html`), await page.content().catch(() => ''));
      e.message += `\n(page dump: build/test-artifacts/e2e-${slug}.failure.{json,html}; app log: build/test-artifacts/e2e-app.log)`;
      throw e;
    } finally {
      await page.screenshot({ path: join(ARTIFACTS, `e2e-${slug}.png`) }).catch(() => {});
      await page.close().catch(() => {});
    }
    assert.deepEqual(
      errors.map((e) => e.stack ?? e.message),
      [],
      'uncaught errors in the page',
    );
  });
}

async function openApp(page) {
  // Vite's hot-reload socket is answered here and never reaches vite, so
  // edits other people make to frontend/src cannot reload a page mid-test.
  // Wails' own IPC socket goes through untouched.
  await page.routeWebSocket(
    (url) => !url.pathname.startsWith('/wails/'),
    () => {},
  );
  await orderChatStream(page);
  await page.goto(app.url);
  const picker = page.getByTestId('model-picker');
  await picker.waitFor();
  await waitUntil(async () => (await picker.getAttribute('data-model-id')) !== '', { what: 'the model list to load' });
  // Every chat:stream event the page receives, to prove answers stream.
  await page.evaluate(() => {
    window.__e2eStream = [];
    window.runtime.EventsOn('chat:stream', (ev) => window.__e2eStream.push(ev));
  });
}

const messages = (page) => page.locator('[data-testid=message]');
const assistants = (page) => page.locator('[data-testid=message][data-role=assistant]');
const users = (page) => page.locator('[data-testid=message][data-role=user]');

async function newChat(page) {
  await page.getByTestId('new-chat').click();
  await page.getByTestId('empty-state').waitFor();
}

async function pickModel(page, id) {
  const picker = page.getByTestId('model-picker');
  await picker.click();
  await page.getByTestId('model-filter').fill(id);
  await page.locator(`[data-testid=model-option][data-model-id="${id}"]`).click();
  await waitUntil(async () => (await picker.getAttribute('data-model-id')) === id, { what: `the picker to show ${id}` });
  await page.getByTestId('model-picker-popover').waitFor({ state: 'detached' });
}

/** Polls a locator's attribute until it equals want (or matches a RegExp, or satisfies a function). */
async function attr(locator, name, want, ms = 60_000) {
  let got;
  await waitUntil(
    async () => {
      got = await locator.getAttribute(name, { timeout: 1000 });
      if (want instanceof RegExp) return want.test(got ?? '');
      if (typeof want === 'function') return got !== null && want(got);
      return got === want;
    },
    { ms, what: `${name}=${want}` },
  ).catch((e) => {
    throw new Error(`${e.message} (last seen ${name}=${JSON.stringify(got)})`);
  });
}

async function text(locator, re, ms = 60_000) {
  let got;
  await waitUntil(
    async () => {
      got = await locator.innerText({ timeout: 1000 });
      return re.test(got);
    },
    { ms, what: `text ${re}` },
  ).catch((e) => {
    throw new Error(`${e.message} (last seen ${JSON.stringify(got)})`);
  });
  return got;
}

/** The status an answer ended with: waits while it is streaming. */
async function settled(locator, ms = 60_000) {
  let status;
  await waitUntil(
    async () => {
      status = await locator.getAttribute('data-status', { timeout: 1000 });
      return status && status !== 'streaming';
    },
    { ms, what: 'the answer to finish' },
  );
  return status;
}

/** Types text into the composer, presses Enter, and waits for the answer to end. */
async function send(page, body, { want = 'complete' } = {}) {
  const before = await messages(page).count();
  const input = page.getByTestId('composer-input');
  await input.fill(body);
  await input.press('Enter');
  await waitUntil(async () => (await messages(page).count()) >= before + 2, { what: 'the question and its answer to appear' });
  const answer = assistants(page).last();
  if (want) {
    const status = await settled(answer);
    const err = status === 'error' ? await answer.getByTestId('msg-error').innerText() : '';
    assert.equal(status, want, `answer status (${err})`);
  }
  return answer;
}

async function activeConversation(page) {
  const item = page.locator('[data-testid=conversation-item][data-active=true]');
  await item.waitFor();
  return item.getAttribute('data-id');
}

/** The conversation as Go stored it, straight from the bound HistoryService. */
function stored(page, id) {
  return page.evaluate((cid) => window.go.desktop.HistoryService.Get(cid), id);
}

function streamEvents(page, messageId) {
  return page.evaluate((id) => window.__e2eStream.filter((e) => e.messageId === id), messageId);
}

const markdown = (answer) => answer.getByTestId('markdown');

// File dialogs: the app under test is built with the e2e tag, so instead of
// opening a GTK chooser on its own window (unseen; the page is in Chromium)
// each dialog records what it was asked in app.dialogs/request.json and
// takes its answer from app.dialogs/answer (desktop.ScriptedDialogs).

/** Queues the next dialog's answer: a path, a folder ending in "/" (the proposed name there), or "" for Cancel. */
function answerDialog(answer) {
  rmSync(join(app.dialogs, 'request.json'), { force: true });
  writeFileSync(join(app.dialogs, 'answer'), answer);
}

/** Waits until a dialog took its answer, and returns what it was asked. */
async function dialogAsked() {
  await waitUntil(() => !existsSync(join(app.dialogs, 'answer')), { what: 'a file dialog to take its answer' });
  return JSON.parse(readFileSync(join(app.dialogs, 'request.json'), 'utf8'));
}

/** Opens the conversation's menu and picks Export Markdown or Export JSON. */
async function openExport(page, id, format) {
  const item = page.locator(`[data-testid=conversation-item][data-id="${id}"]`);
  await item.getByTestId('conv-menu').click();
  await page.getByTestId(format === 'json' ? 'conv-export-json' : 'conv-export-md').click();
  await page.getByTestId('export-dialog').waitFor();
}

const reEscape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const conversationCount = (page) => page.evaluate(async () => (await window.go.desktop.HistoryService.List(500, 0)).length);

// ---------- tests, in order ----------

e2e('01-chat', 'chat: pick deepseek-flash, type, Enter; the answer streams in with its stats', async (t, page) => {
  await newChat(page);
  await pickModel(page, 'deepseek-flash');
  const question = 'Please greet the marmalade team';
  const answer = await send(page, question);

  assert.equal(await users(page).count(), 1);
  assert.equal(await users(page).first().getByTestId('message-content').innerText(), question);
  assert.equal(await markdown(answer).innerText(), 'Hello from deepseek (deepseek-flash).');

  // It came as chat:stream events: text deltas, then done.
  const id = await answer.getAttribute('data-id');
  const evs = await streamEvents(page, id);
  assert.ok(evs.some((e) => e.kind === 'delta' && e.text), `delta events: ${JSON.stringify(evs)}`);
  assert.equal(evs.at(-1).kind, 'done');

  // Stats as the done event carried them. Against a loopback fake the first
  // token can come in under a millisecond: Go reports that as 0 ms and the
  // window then hides TTFT (the stop test checks a TTFT that cannot be 0).
  const stats = answer.getByTestId('msg-stats');
  const done = evs.at(-1);
  assert.equal(await stats.getByTestId('stat-model').innerText(), 'deepseek-flash');
  assert.equal(await stats.getByTestId('stat-provider').innerText(), 'DeepSeek');
  if (done.stats.ttftMs > 0) assert.equal(await stats.getByTestId('stat-ttft').innerText(), `TTFT ${done.stats.ttftMs} ms`);
  else assert.equal(await stats.getByTestId('stat-ttft').count(), 0);
  assert.ok(done.stats.tokensPerSec > 0, JSON.stringify(done.stats));
  assert.match(await stats.getByTestId('stat-speed').innerText(), /^\d+(\.\d)? tok\/s$/);
  assert.equal(
    await stats.getByTestId('stat-tokens').innerText(),
    `${done.usage.promptTokens} in · ${done.usage.completionTokens} out`,
  );
  assert.ok(done.usage.completionTokens > 0);

  // The fake got exactly what the composer said, for the upstream model.
  const body = await app.last('deepseek');
  assert.equal(body.model, 'deepseek-flash');
  assert.equal(body.stream, true);
  assert.deepEqual(body.messages.at(-1), { role: 'user', content: question });

  // The conversation is in the sidebar, titled after the question, and saved.
  const conv = await activeConversation(page);
  assert.equal(await page.locator(`[data-testid=conversation-item][data-id="${conv}"]`).innerText(), question);
  const saved = await stored(page, conv);
  assert.deepEqual(
    saved.messages.map((m) => [m.role, m.status, m.content]),
    [
      ['user', 'complete', question],
      ['assistant', 'complete', 'Hello from deepseek (deepseek-flash).'],
    ],
  );
  state.marmaladeConv = conv;
});

e2e('02-stop', 'stop: Stop ends a slow answer, keeps what arrived, and cancels the upstream request', async (t, page) => {
  await newChat(page);
  await pickModel(page, 'deepseek-flash');
  const cancelledBefore = (await app.stats('deepseek')).cancelled;

  // trigger:endless: " word" every 50 ms until the client leaves, so the
  // answer is still streaming whenever the click comes.
  const answer = await send(page, 'trigger:endless count the words', { want: null });
  const stop = page.getByTestId('stop');
  await stop.waitFor();
  await text(markdown(answer), /word word/); // some chunks are in
  await stop.click();

  await attr(answer, 'data-status', 'stopped');
  await answer.getByTestId('msg-stopped').waitFor();
  await page.getByTestId('send').waitFor(); // the composer is usable again
  const kept = await markdown(answer).innerText();
  const words = kept.split(/\s+/).filter((w) => w === 'word').length;
  assert.ok(words >= 2, `stopped with part of the answer (${words} words)`);
  // The first chunk came after the fake's 50 ms pause, so TTFT is shown
  // (at least 50 ms: a lower bound, which a slow machine only raises).
  const ttftText = await answer.getByTestId('stat-ttft').innerText();
  const ttft = /^TTFT (?:(\d+) ms|(\d+\.\d\d) s)$/.exec(ttftText);
  assert.ok(ttft && (ttft[1] ? Number(ttft[1]) : Number(ttft[2]) * 1000) >= 50, `TTFT of a slow answer: ${ttftText}`);

  // The fake saw its client leave.
  await waitUntil(async () => (await app.stats('deepseek')).cancelled >= cancelledBefore + 1, {
    what: 'the fake to count a cancelled stream',
  });

  // Go saved the stopped answer with what had arrived.
  const conv = await activeConversation(page);
  const saved = await stored(page, conv);
  assert.equal(saved.messages.length, 2);
  assert.equal(saved.messages[1].status, 'stopped');
  assert.equal(saved.messages[1].content.trim(), kept.trim());

  // After a reload, reopened from the sidebar, it is still stopped.
  await page.reload();
  await page.locator(`[data-testid=conversation-item][data-id="${conv}"] [data-testid=conversation-open]`).click();
  await attr(assistants(page).last(), 'data-status', 'stopped');
  await assistants(page).last().getByTestId('msg-stopped').waitFor();
});

e2e('03-regenerate-edit', 'regenerate and edit make versions: each keeps its later turns, and ‹ › moves between them', async (t, page) => {
  await newChat(page);
  await pickModel(page, 'deepseek-flash');
  const first = 'Name a fruit for the regenerate test';
  let answer = await send(page, first);
  const conv = await activeConversation(page);
  for (const q of ['Second question', 'Third question', 'Fourth question']) await send(page, q);
  assert.equal(await messages(page).count(), 8);
  const oldId = await assistants(page).first().getAttribute('data-id');
  const requestsBefore = (await app.stats('deepseek')).requests;

  // Regenerate the first answer: the new one shows as version 2 of 2, and
  // the 6 later messages wait in version 1.
  answer = assistants(page).first();
  await answer.hover();
  await answer.getByTestId('msg-regenerate').click();
  answer = assistants(page).last();
  await attr(answer, 'data-id', (id) => id !== oldId && !id.startsWith('local-'));
  assert.equal(await settled(answer), 'complete');
  assert.equal(await messages(page).count(), 2);
  assert.ok((await app.stats('deepseek')).requests > requestsBefore, 'the fake was asked again');
  assert.equal(await answer.getByTestId('version-label').innerText(), '2/2');
  const body = await app.last('deepseek');
  assert.deepEqual(body.messages, [{ role: 'user', content: first }], 'the model saw only the first question');

  await answer.getByTestId('version-prev').click();
  await waitUntil(async () => (await messages(page).count()) === 8, { what: 'version 1 with its later turns' });
  assert.equal(await assistants(page).first().getAttribute('data-id'), oldId);
  assert.equal(await assistants(page).first().getByTestId('version-label').innerText(), '1/2');
  await text(users(page).last().getByTestId('message-content'), /^Fourth question$/);
  let saved = await stored(page, conv);
  assert.equal(saved.messages.length, 8, 'Go shows the same path');

  // Edit the first question of the 4-turn conversation: the new version
  // is answered alone, and the old one keeps all four turns.
  const edited = 'Name a vegetable instead';
  const question = users(page).first();
  await question.hover();
  await question.getByTestId('msg-edit').click();
  await page.getByTestId('edit-input').fill(edited);
  await page.getByTestId('edit-send').click();
  await text(users(page).first().getByTestId('message-content'), new RegExp(`^${edited}$`));
  answer = assistants(page).last();
  await waitUntil(async () => (await messages(page).count()) === 2 && (await answer.getAttribute('data-status')) === 'complete', {
    what: 'the edited turn to be answered',
  });
  assert.equal(await users(page).first().getByTestId('version-label').innerText(), '2/2');
  assert.deepEqual((await app.last('deepseek')).messages, [{ role: 'user', content: edited }], 'the model saw only the edited question');

  await users(page).first().getByTestId('version-prev').click();
  await waitUntil(async () => (await messages(page).count()) === 8, { what: 'the first version of the question with its turns' });
  await text(users(page).first().getByTestId('message-content'), new RegExp(`^${first}$`));
  await users(page).first().getByTestId('version-next').click();
  await waitUntil(async () => (await messages(page).count()) === 2, { what: 'the edited version again' });

  // Reopened after a reload, the conversation shows the version left last.
  await page.reload();
  await page.locator(`[data-testid=conversation-item][data-id="${conv}"] [data-testid=conversation-open]`).click();
  await text(users(page).first().getByTestId('message-content'), new RegExp(`^${edited}$`));
  saved = await stored(page, conv);
  assert.deepEqual(
    saved.messages.map((m) => [m.role, m.content, m.versions.length]),
    [
      ['user', edited, 2],
      ['assistant', 'Hello from deepseek (deepseek-flash).', 1],
    ],
  );
});

e2e('03b-delete-undo', 'delete a message, undo it, then delete a branch', async (t, page) => {
  await newChat(page);
  await pickModel(page, 'deepseek-flash');
  await send(page, 'Keep this question');
  await send(page, 'Delete this question');
  const conv = await activeConversation(page);
  const doomed = users(page).last();
  await doomed.hover();
  await doomed.getByTestId('msg-delete').click();
  await page.getByTestId('msg-delete-branch').click();
  await waitUntil(async () => (await messages(page).count()) === 2, { what: 'the branch to go' });
  await page.getByTestId('undo-toast').waitFor();
  await page.getByTestId('undo-delete').click();
  await waitUntil(async () => (await messages(page).count()) === 4, { what: 'undo to bring it back' });
  await text(users(page).last().getByTestId('message-content'), /^Delete this question$/);

  const answer = assistants(page).last();
  await answer.hover();
  await answer.getByTestId('msg-delete').click();
  await page.getByTestId('msg-delete-one').click();
  await waitUntil(async () => (await messages(page).count()) === 3, { what: 'the answer to go' });
  const saved = await stored(page, conv);
  assert.deepEqual(saved.messages.map((m) => m.role), ['user', 'assistant', 'user']);
  // The next question does not carry the question left without an answer.
  await send(page, 'A new question');
  const sent = (await app.last('deepseek')).messages.map((m) => m.content);
  assert.deepEqual(sent.filter((c) => c !== 'Hello from deepseek (deepseek-flash).'), ['Keep this question', 'A new question']);
  await page.getByTestId('context-count').waitFor();
  assert.match(await page.getByTestId('context-count').innerText(), /^2\/2 /);
});

e2e('04-switch-model', 'model switch: the next answer in the same conversation comes from the new model', async (t, page) => {
  await newChat(page);
  await pickModel(page, 'deepseek-flash');
  await send(page, 'First question before switching');
  const conv = await activeConversation(page);

  await pickModel(page, 'gpt-6-luna');
  const answer = await send(page, 'Second question after switching');
  assert.equal(await markdown(answer).innerText(), 'Hello from openai (gpt-6-luna).');
  assert.equal(await answer.getByTestId('stat-model').innerText(), 'gpt-6-luna');
  assert.equal(await answer.getByTestId('stat-provider').innerText(), 'OpenAI');
  assert.equal(await markdown(assistants(page).first()).innerText(), 'Hello from deepseek (deepseek-flash).');
  assert.equal(await activeConversation(page), conv, 'still the same conversation');

  // OpenAI got the whole conversation, DeepSeek's answer included.
  const body = await app.last('openai');
  assert.equal(body.model, 'gpt-6-luna');
  assert.deepEqual(
    body.messages.map((m) => [m.role, m.content]),
    [
      ['user', 'First question before switching'],
      ['assistant', 'Hello from deepseek (deepseek-flash).'],
      ['user', 'Second question after switching'],
    ],
  );
  const saved = await stored(page, conv);
  assert.equal(saved.conversation.model, 'gpt-6-luna');
  assert.deepEqual(saved.messages.filter((m) => m.role === 'assistant').map((m) => m.provider), ['deepseek', 'openai']);
});

e2e('05-thinking', 'thinking: reasoning_content and raw <think> tags are shown apart from the answer', async (t, page) => {
  // DeepSeek's reasoner streams reasoning_content before the answer.
  await newChat(page);
  await pickModel(page, 'deepseek-v4-pro');
  let answer = await send(page, 'Why is the sky blue?');
  const thinking = answer.getByTestId('thinking');
  await thinking.waitFor();
  assert.match(await thinking.getByTestId('thinking-label').innerText(), /^(Thought for .+s|Thoughts)$/);
  await thinking.getByTestId('thinking-toggle').click();
  assert.equal(await thinking.getByTestId('thinking-text').innerText(), 'Let me think about this step by step.');
  assert.equal(await markdown(answer).innerText(), 'Hello from deepseek (deepseek-v4-pro).');
  const evs = await streamEvents(page, await answer.getAttribute('data-id'));
  assert.ok(evs.some((e) => e.kind === 'reasoning'), 'reasoning arrived as its own events');

  // Qwen3 on DashScope writing <think>…</think> into the content, split across chunks.
  await newChat(page);
  await pickModel(page, 'qwen3.8-flash');
  answer = await send(page, 'trigger:think what is the answer?');
  await answer.getByTestId('thinking').getByTestId('thinking-toggle').click();
  assert.equal(await answer.getByTestId('thinking-text').innerText(), 'Pondering the question.');
  assert.equal(await markdown(answer).innerText(), 'The answer is 42.');
  const html = await answer.innerHTML();
  assert.ok(!/&lt;\/?think&gt;|<\/?think>/.test(html), 'no think tags on screen');
  const saved = await stored(page, await activeConversation(page));
  assert.equal(saved.messages[1].content, 'The answer is 42.');
  assert.equal(saved.messages[1].reasoning, 'Pondering the question.');
});

e2e('06-error-retry', 'errors: a 402 is shown as insufficient balance in words, and Retry asks again', async (t, page) => {
  await newChat(page);
  await pickModel(page, 'deepseek-flash');
  let answer = await send(page, 'trigger:402 spend money', { want: 'error' });
  let err = answer.getByTestId('msg-error');
  assert.equal(await err.getAttribute('data-kind'), 'insufficient_balance');
  assert.match(await err.innerText(), /Your DeepSeek account has insufficient balance\./);
  assert.equal(await err.getByTestId('msg-open-settings').count(), 0, 'not a key problem');

  const oldId = await answer.getAttribute('data-id');
  const before = (await app.stats('deepseek')).requests;
  await err.getByTestId('msg-retry').click();
  await waitUntil(async () => (await app.stats('deepseek')).requests > before, { what: 'the retry to reach the fake' });
  answer = assistants(page).last();
  await attr(answer, 'data-id', (id) => id !== oldId && !id.startsWith('local-'));
  assert.equal(await settled(answer), 'error');
  err = answer.getByTestId('msg-error');
  assert.equal(await err.getAttribute('data-kind'), 'insufficient_balance');
  assert.equal(await users(page).count(), 1, 'the question was not repeated');
  assert.equal(await assistants(page).count(), 1, 'the failed answer was replaced');
});

e2e('07-search', 'search: a word from an earlier chat finds it, and the hit opens that conversation', async (t, page) => {
  if (!state.marmaladeConv) {
    // Run on its own: make the conversation the first test would have made.
    await newChat(page);
    await pickModel(page, 'deepseek-flash');
    await send(page, 'Please greet the marmalade team');
    state.marmaladeConv = await activeConversation(page);
  }
  await newChat(page);
  const search = page.getByTestId('search-input');
  await search.fill('nosuchwordanywhere');
  await page.getByTestId('search-empty').waitFor();

  await search.fill('marmalade');
  const hit = page.locator(`[data-testid=search-hit][data-id="${state.marmaladeConv}"]`);
  await hit.waitFor();
  assert.equal(await hit.locator('mark').first().innerText(), 'marmalade');
  await hit.click();

  await text(users(page).first().getByTestId('message-content'), /marmalade/);
  assert.equal(await markdown(assistants(page).first()).innerText(), 'Hello from deepseek (deepseek-flash).');
  await search.press('Escape'); // back to the list: the opened conversation is the active one
  await attr(page.locator(`[data-testid=conversation-item][data-id="${state.marmaladeConv}"]`), 'data-active', 'true');
});

e2e(
  '08-settings-key',
  'settings: a kimi key saved in the UI goes to the keyring, is never shown again, tests OK and works for chat',
  async (t, page) => {
    const bus = process.env.DBUS_SESSION_BUS_ADDRESS ?? '';
    assert.ok(bus && !bus.startsWith('disabled'), 'no session bus with a keyring: run through tests/keyring-test.sh (tests/e2e/run.sh does)');
    const KEY = 'test-key-kimi';
    await page.getByTestId('settings-nav').click();
    await page.getByTestId('settings-tab-providers').click();
    const card = page.locator('[data-testid=provider-card][data-provider=kimi]');
    const status = card.getByTestId('key-status');
    await attr(status, 'data-source', 'none'); // a .env in the repo root would make this "dotenv"

    const input = card.getByTestId('key-input');
    await input.fill(KEY);
    await card.getByTestId('key-save').click();
    await attr(status, 'data-source', 'keyring');
    assert.equal(await input.inputValue(), '', 'the input is cleared');
    assert.match(await status.innerText(), /^Stored in system keyring \(.+\)$/);
    await card.getByTestId('key-saved').waitFor();
    assert.ok(!(await page.content()).includes(KEY), 'the key is nowhere in the page');
    const values = await page.evaluate(() => [...document.querySelectorAll('input, textarea')].map((e) => e.value));
    assert.ok(!values.some((v) => v.includes(KEY)), 'no input holds the key');

    await card.getByTestId('key-test').click();
    const result = card.getByTestId('key-test-result');
    await attr(result, 'data-ok', 'true');
    const m = /^OK — (\d+) ms, (\d+) models$/.exec(await result.innerText());
    assert.ok(m, `test result: ${await result.innerText()}`);
    assert.equal(Number(m[2]), 6, "the kimi fake's /models lists today's six Kimi models");
    assert.ok(!(await page.content()).includes(KEY));

    // It is in the real keyring, where go-keyring puts it.
    // (secret-tool search prints the secret on stdout and its attributes on stderr.)
    const search = spawnSync('secret-tool', ['search', '--all', 'service', 'ThinkCloud'], { encoding: 'utf8' });
    assert.equal(search.status, 0, search.stderr);
    assert.match(search.stderr, /^attribute\.username = kimi$/m);
    assert.match(search.stderr, /^attribute\.service = ThinkCloud$/m);
    const secret = execFileSync('secret-tool', ['lookup', 'service', 'ThinkCloud', 'username', 'kimi'], { encoding: 'utf8' });
    assert.equal(secret, KEY);

    // And chat uses it: kimi's models became available.
    await page.getByTestId('settings-back').click();
    await newChat(page);
    await pickModel(page, 'kimi-k3');
    const answer = await send(page, 'Hello kimi');
    assert.equal(await markdown(answer).innerText(), 'Hello from kimi (kimi-k3).');
    await answer.getByTestId('thinking').waitFor();
  },
);

e2e('09-endpoint', 'endpoint: Apply moves the local endpoint to a new port', async (t, page) => {
  const oldPort = app.port;
  await page.getByTestId('settings-nav').click();
  await page.getByTestId('settings-tab-endpoint').click();
  const status = page.getByTestId('endpoint-status');
  await attr(status, 'data-state', 'listening');
  await text(status, new RegExp(`Listening on http://127\\.0\\.0\\.1:${oldPort}\\b`));
  const port = page.getByTestId('endpoint-port');
  assert.equal(await port.inputValue(), String(oldPort));

  const newPort = await freePort();
  await port.fill(String(newPort));
  await page.getByTestId('endpoint-apply').click();
  await text(status, new RegExp(`Listening on http://127\\.0\\.0\\.1:${newPort}\\b`));
  assert.equal(await status.getAttribute('data-state'), 'listening');
  assert.equal(await page.getByTestId('endpoint-error').count(), 0);

  const r = await fetch(`http://127.0.0.1:${newPort}/health`);
  assert.equal(r.status, 200);
  assert.equal((await r.json()).status, 'healthy');
  await assert.rejects(fetch(`http://127.0.0.1:${oldPort}/health`), (e) => e.cause?.code === 'ECONNREFUSED');
  assert.equal(await portOpen(oldPort), false);

  const file = JSON.parse(readFileSync(join(app.dir, 'config', 'thinkcloud', 'settings.json'), 'utf8'));
  assert.equal(file.endpoint.port, newPort, 'saved to settings.json');
  app.port = newPort;
});

e2e('10-export-import', 'export and import: Save as writes where the dialog said, Cancel writes nothing, the JSON imports back, a broken file is refused', async (t, page) => {
  await newChat(page);
  await pickModel(page, 'deepseek-flash');
  await send(page, 'Export me: 天空 / why?');
  const id = await activeConversation(page);
  const out = join(app.dialogs, 'out');
  mkdirSync(out);
  const name = 'Export me- 天空 - why-'; // ":", "/" and "?" are refused by some file systems

  // Markdown, accepting the proposed name.
  await openExport(page, id, 'markdown');
  answerDialog(`${out}/`);
  await page.getByTestId('export-save').click();
  let asked = await dialogAsked();
  assert.deepEqual(
    [asked.kind, asked.title, asked.defaultName, asked.filters[0].pattern],
    ['save', 'Export conversation as Markdown', `${name}.md`, '*.md;*.markdown'],
  );
  await text(page.getByTestId('toast'), new RegExp(`^Saved to ${reEscape(`${out}/${name}.md`)}$`));
  await page.getByTestId('export-dialog').waitFor({ state: 'detached' });
  const md = readFileSync(join(out, `${name}.md`), 'utf8');
  assert.match(md, /^# Export me: 天空 \/ why\?\n/);
  assert.ok(md.includes('## User\n\nExport me: 天空 / why?\n'), md);
  assert.ok(md.includes('## Assistant (`deepseek-flash`)\n\nHello from deepseek (deepseek-flash).\n'), md);

  // JSON, cancelled: nothing written, no error, the export dialog stays.
  await openExport(page, id, 'json');
  answerDialog('');
  await page.getByTestId('export-save').click();
  asked = await dialogAsked();
  assert.equal(asked.defaultDir, out, 'the dialog opens where the last export went');
  await waitUntil(async () => await page.getByTestId('export-save').isEnabled(), { what: 'Save as to settle' });
  assert.equal(await page.getByTestId('export-save-error').count(), 0);
  assert.deepEqual(readdirSync(out), [`${name}.md`]);

  // JSON to a path of the user's choosing.
  const jsonPath = join(out, 'chosen.json');
  answerDialog(jsonPath);
  await page.getByTestId('export-save').click();
  await text(page.getByTestId('toast'), /chosen\.json$/);
  const doc = JSON.parse(readFileSync(jsonPath, 'utf8'));
  assert.equal(doc.format, 'thinkcloud.conversation');
  assert.deepEqual(
    doc.messages.map((m) => [m.role, m.content]),
    [
      ['user', 'Export me: 天空 / why?'],
      ['assistant', 'Hello from deepseek (deepseek-flash).'],
    ],
  );

  // Import it back: a new conversation with the same messages, opened.
  const before = await conversationCount(page);
  answerDialog(jsonPath);
  await page.getByTestId('import-json').click();
  asked = await dialogAsked();
  assert.deepEqual([asked.kind, asked.filters[0].pattern], ['open', '*.json']);
  await text(page.getByTestId('toast'), /^Conversation imported$/);
  await waitUntil(async () => (await activeConversation(page)) !== id, { what: 'the imported conversation to open' });
  const copy = await activeConversation(page);
  const [orig, imported] = [await stored(page, id), await stored(page, copy)];
  assert.deepEqual(
    imported.messages.map((m) => [m.role, m.content, m.status]),
    orig.messages.map((m) => [m.role, m.content, m.status]),
  );
  // The copy is marked with its file; the original is not.
  const badge = page.locator(`[data-testid=conversation-item][data-id="${copy}"] [data-testid=imported-badge]`);
  await attr(badge, 'title', /^Imported .* from chosen\.json$/);
  assert.equal(await page.locator(`[data-testid=conversation-item][data-id="${id}"] [data-testid=imported-badge]`).count(), 0);
  assert.equal(imported.conversation.importedFrom, 'chosen.json');
  assert.equal(await conversationCount(page), before + 1);

  // A hand-edited file with a bad role: refused, named, nothing saved.
  const bad = join(out, 'bad.json');
  doc.messages[1].role = 'robot';
  writeFileSync(bad, JSON.stringify(doc, null, 2));
  answerDialog(bad);
  await page.getByTestId('import-json').click();
  await dialogAsked();
  await text(page.getByTestId('error-banner'), new RegExp(`${reEscape(bad)}: .*messages\\[1\\]: .*role "robot"`));
  assert.equal(await conversationCount(page), before + 1);
});

e2e('11-preset', 'assistants: a preset applied from the toolbar sets the system prompt and temperature sent, and the answer shows its cost', async (t, page) => {
  await newChat(page);
  await pickModel(page, 'deepseek-flash');
  const picker = page.getByTestId('assistant-picker');
  await picker.waitFor();
  await picker.selectOption('builtin-translator');
  const answer = await send(page, 'Bonjour tout le monde');

  // The fake got the translator's system prompt first and its temperature.
  const body = await app.last('deepseek');
  assert.equal(body.messages[0].role, 'system');
  assert.match(body.messages[0].content, /^You are a translator\./);
  assert.equal(body.temperature, 0.3);
  assert.deepEqual(body.messages.at(-1), { role: 'user', content: 'Bonjour tout le monde' });

  // deepseek-flash has prices in the catalog: Go priced the answer (USD and CNY),
  // and the toolbar shows the conversation's total.
  const cost = answer.getByTestId('stat-cost');
  await cost.waitFor();
  assert.match(await cost.innerText(), /^\$\d+\.\d+ · ¥\d+\.\d+$/);
  assert.match(await page.getByTestId('conversation-cost').innerText(), /\$\d+\.\d+ · ¥\d+\.\d+/);
});

/** Picks models for the next message in the toolbar's Compare popover. */
async function pickCompare(page, ...ids) {
  await page.getByTestId('compare-button').click();
  for (const id of ids) {
    await page.getByTestId('compare-filter').fill(id);
    await page.locator(`[data-testid=compare-option][data-model-id="${id}"]`).check();
  }
  await page.keyboard.press('Escape');
  await page.getByTestId('compare-popover').waitFor({ state: 'detached' });
  await attr(page.getByTestId('compare-button'), 'data-picked', String(ids.length));
}

const column = (page, model) => page.locator(`[data-testid=compare-column][data-model="${model}"]`);

e2e('13-compare', 'compare: two models answer one message side by side, both streamed; the one picked is what the next message carries', async (t, page) => {
  await page.setViewportSize({ width: 800, height: 600 });
  await newChat(page);
  await pickModel(page, 'deepseek-flash');

  // Round 1: endless answers (a chunk every 50 ms until stopped) stream in both columns at once.
  await pickCompare(page, 'deepseek-flash', 'gpt-6-luna');
  await page.getByTestId('compare-armed').waitFor();
  const input = page.getByTestId('composer-input');
  await input.fill('trigger:endless compare these two');
  await input.press('Enter');
  const a = column(page, 'deepseek-flash');
  const b = column(page, 'gpt-6-luna');
  await waitUntil(
    async () =>
      (await a.getAttribute('data-status')) === 'streaming' &&
      (await b.getAttribute('data-status')) === 'streaming' &&
      /word/.test(await a.innerText()) &&
      /word/.test(await b.innerText()),
    { what: 'both columns to be streaming text at the same time' },
  );
  // Side by side, inside an 800×600 window (both measured at one moment: the list scrolls as they grow).
  const [ba, bb] = await page.$$eval('[data-testid=compare-column]', (els) =>
    els.map((e) => {
      const r = e.getBoundingClientRect();
      return { x: r.x, y: r.y, width: r.width };
    }),
  );
  assert.ok(ba && bb && bb.x >= ba.x + ba.width - 1 && Math.abs(ba.y - bb.y) < 2, `columns side by side: ${JSON.stringify([ba, bb])}`);
  assert.ok(bb.x + bb.width <= 800, `second column inside the window: ${JSON.stringify(bb)}`);
  await page.screenshot({ path: join(ARTIFACTS, 'e2e-13-compare-columns.png') });
  // Each column has its own Stop: the other one streams on.
  await a.getByTestId('compare-stop').click();
  await attr(a, 'data-status', 'stopped');
  const before = (await b.innerText()).length;
  await waitUntil(async () => (await b.innerText()).length > before, { what: 'the other column to keep streaming' });
  assert.equal(await b.getAttribute('data-status'), 'streaming');
  await b.getByTestId('compare-stop').click();
  await attr(b, 'data-status', 'stopped');
  for (const col of [a, b]) {
    const evs = await streamEvents(page, await col.getAttribute('data-id'));
    assert.ok(evs.filter((e) => e.kind === 'delta').length >= 2, `several deltas per column: ${evs.length} events`);
    assert.equal(evs.at(-1).kind, 'done');
    await col.getByTestId('msg-stats').waitFor();
  }
  const conv = await activeConversation(page);
  const first = await stored(page, conv);
  assert.equal(first.messages.length, 2);
  assert.equal(first.messages[1].versions.length, 2, 'the two answers are versions of one turn');
  const picked1 = await b.getAttribute('data-id');
  await b.getByTestId('compare-choose').click();
  await page.getByTestId('compare-view').waitFor({ state: 'detached' });
  const round1 = (await stored(page, conv)).messages[1];
  assert.equal(round1.id, picked1, 'round 1: the picked answer is the active version');
  assert.match(round1.content, /^\s*word( word)+\s*$/);

  // Round 2, in the same conversation: distinct answers; pick the second one and go on.
  await pickCompare(page, 'deepseek-flash', 'gpt-6-luna');
  await input.fill('Which of you is better?');
  await input.press('Enter');
  assert.equal(await settled(a), 'complete');
  assert.equal(await settled(b), 'complete');
  assert.equal(await markdown(a).innerText(), 'Hello from deepseek (deepseek-flash).');
  assert.equal(await markdown(b).innerText(), 'Hello from openai (gpt-6-luna).');
  await page.screenshot({ path: join(ARTIFACTS, 'e2e-13-compare-done.png') });
  // The same view in both themes and languages, for docs/screenshots: switched in the page
  // only (vite serves the window's own i18n module), so no setting is saved.
  for (const [theme, locale] of [['light', 'zh-CN'], ['dark', 'en'], ['dark', 'zh-CN'], ['light', 'en']]) {
    await page.evaluate(async ([th, lo]) => {
      document.documentElement.dataset.theme = th;
      (await import('/src/lib/i18n/index.svelte.ts')).setLocale(lo);
    }, [theme, locale]);
    await b.getByTestId('compare-choose').getByText(locale === 'en' ? 'Continue with this one' : '用这个回答继续').waitFor();
    await page.screenshot({ path: join(ARTIFACTS, `e2e-13-compare-${theme}-${locale === 'en' ? 'en' : 'zh'}.png`) });
  }
  const chosen = await b.getAttribute('data-id');
  await b.getByTestId('compare-choose').click();
  await page.getByTestId('compare-view').waitFor({ state: 'detached' });
  assert.equal(await assistants(page).last().getAttribute('data-id'), chosen);
  await attr(page.getByTestId('model-picker'), 'data-model-id', 'gpt-6-luna');

  await send(page, 'Go on from there');
  const body = await app.last('openai');
  assert.equal(body.messages[1]?.content.trim(), round1.content.trim(), 'round 1: the picked (stopped) answer');
  assert.deepEqual(
    body.messages.map((m, i) => [m.role, i === 1 ? '(round 1 answer)' : m.content]),
    [
      ['user', 'trigger:endless compare these two'],
      ['assistant', '(round 1 answer)'],
      ['user', 'Which of you is better?'],
      ['assistant', 'Hello from openai (gpt-6-luna).'],
      ['user', 'Go on from there'],
    ],
  );
  // The unpicked answer is kept as the other version of that turn.
  const saved = await stored(page, conv);
  assert.equal(saved.messages[3].id, chosen);
  assert.equal(saved.messages[3].versions.length, 2);
});

/** A one-page PDF showing text in Helvetica, with a correct cross-reference table. */
function tinyPDF(text) {
  const content = `BT /F1 12 Tf 72 720 Td (${text}) Tj ET`;
  const objs = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>',
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>',
    `<< /Length ${content.length} >>\nstream\n${content}\nendstream`,
  ];
  let out = '%PDF-1.4\n';
  const offsets = objs.map((o, i) => {
    const at = out.length;
    out += `${i + 1} 0 obj\n${o}\nendobj\n`;
    return at;
  });
  const xref = out.length;
  out += `xref\n0 ${objs.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  return `${out}trailer\n<< /Size ${objs.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
}

e2e('12-attach', 'attachments: a code file and a PDF picked in the dialog are sent as text named by the file, shown as chips, kept in the history; a binary is refused', async (t, page) => {
  await newChat(page);
  await pickModel(page, 'deepseek-v4-pro'); // reads text only
  const dir = join(app.dialogs, 'attach');
  mkdirSync(dir, { recursive: true });
  const code = join(dir, 'hello.go');
  writeFileSync(code, 'package main\n\n// 打招呼\nfunc main() { println("marmalade-42") }\n');
  const pdf = join(dir, 'report.pdf');
  writeFileSync(pdf, tinyPDF('Quarterly revenue grew 12 percent'), 'latin1');
  const binary = join(dir, 'blob.bin');
  writeFileSync(binary, Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 0, 1, 2, 3, 0]));

  // The attach button opens Go's open dialog, for one file or several; each file becomes a chip.
  const chip = (name) => page.locator('[data-testid=composer] [data-testid=file-chip-name]', { hasText: name });
  answerDialog(code);
  await page.getByTestId('attach').click();
  const asked = await dialogAsked();
  assert.deepEqual([asked.kind, asked.title], ['open-many', 'Attach files']);
  await chip('hello.go').waitFor();
  // Two chosen at once: the PDF is taken, the binary refused by name.
  answerDialog(`${pdf}\n${binary}`);
  await page.getByTestId('attach').click();
  await dialogAsked();
  await chip('report.pdf').waitFor();
  await text(page.getByTestId('composer'), /blob\.bin is not a text file, PDF or image; it was not attached\./);
  const chips = page.locator('[data-testid=composer] [data-testid=file-chip]');
  assert.equal(await chips.count(), 2);
  assert.match(await chips.nth(0).innerText(), /hello\.go\s*go · \d+ B/);
  assert.match(await chips.nth(1).innerText(), /report\.pdf\s*PDF · \d+ B/);

  await send(page, 'What do these files say?');
  assert.equal(await chips.count(), 0, 'the chips went with the message');

  // The fake provider got each file's text in a block headed by its name, then the question.
  const body = await app.last('deepseek');
  const sent = body.messages.at(-1);
  assert.equal(sent.role, 'user');
  assert.equal(
    sent.content,
    'File: hello.go\n```go\npackage main\n\n// 打招呼\nfunc main() { println("marmalade-42") }\n```\n\n' +
      'File: report.pdf\n```\nQuarterly revenue grew 12 percent\n```\n\nWhat do these files say?',
  );

  // The sent message shows the files as chips; the history keeps them.
  const question = users(page).last();
  assert.deepEqual(await question.getByTestId('file-chip-name').allInnerTexts(), ['hello.go', 'report.pdf']);
  assert.equal(await question.getByTestId('message-content').innerText(), 'What do these files say?');
  const conv = await stored(page, await activeConversation(page));
  assert.deepEqual(
    conv.messages[0].attachments.map((a) => [a.name, a.kind]),
    [['hello.go', 'code'], ['report.pdf', 'pdf']],
  );
  assert.equal(conv.messages[0].content, 'What do these files say?');

  // The history's search finds the conversation by what the PDF says.
  const convId = await activeConversation(page);
  const search = page.getByTestId('search-input');
  await search.fill('quarterly revenue');
  const hit = page.locator(`[data-testid=search-hit][data-id="${convId}"]`);
  await hit.waitFor();
  assert.deepEqual(await hit.locator('mark').allInnerTexts(), ['Quarterly', 'revenue']);
  await search.press('Escape');
});

// ---------- #13's window checks: math, the Parameters popover, the shell ----------

/** Sends TEXT as the fake's whole answer (trigger:echo answers it verbatim, a word per chunk). */
const echo = (page, markdownText) => send(page, `trigger:echo ${markdownText}`);

e2e('15-math', 'math: $…$, $$…$$, \\(…\\) and \\[…\\] are typeset by KaTeX with their TeX kept; hostile TeX stays text; task lists keep disabled checkboxes', async (t, page) => {
  await newChat(page);
  await pickModel(page, 'deepseek-flash');
  const tex = {
    dollar: 'e^{i\\pi} + 1 = 0',
    paren: '\\alpha_1 + \\beta^2',
    dollars: '\\int_0^1 x^2\\,dx = \\frac{1}{3}',
    bracket: '\\sum_{k=1}^{n} k = \\frac{n(n+1)}{2}',
  };
  let answer = await echo(
    page,
    [
      `Euler: $${tex.dollar}$ and \\(${tex.paren}\\) inline.`,
      '',
      `$$${tex.dollars}$$`,
      '',
      `\\[${tex.bracket}\\]`,
      '',
      '- [x] typeset',
      '- [ ] checked by hand',
    ].join('\n'),
  );
  const md = markdown(answer);
  // Each formula is KaTeX output whose MathML annotation is the TeX as the
  // model wrote it, backslashes and all, in the order written.
  // KaTeX loads after the window's first paint (src/lib/rich.svelte.ts): an
  // answer that arrives first shows its TeX as typed until then.
  await md.locator('.katex').first().waitFor();
  assert.equal(await md.locator('.math-pending').count(), 0, 'every formula typeset once KaTeX is there');
  const annotations = md.locator('.katex annotation[encoding="application/x-tex"]');
  assert.deepEqual(await annotations.allTextContents(), [tex.dollar, tex.paren, tex.dollars, tex.bracket]);
  assert.equal(await md.locator('.katex-display').count(), 2, '$$…$$ and \\[…\\] are displayed');
  assert.equal(await md.locator('p > .math-inline .katex').count(), 2, '$…$ and \\(…\\) stay in their sentence');
  const shown = await md.innerText();
  for (const delim of ['$', '\\(', '\\[', '\\frac']) assert.ok(!shown.includes(delim), `no raw ${delim} on screen: ${JSON.stringify(shown)}`);
  assert.equal(await md.locator('.math-error').count(), 0);
  // GFM task list: both boxes shown, the done one ticked, neither editable.
  const boxes = md.locator('li > input[type=checkbox]');
  assert.equal(await boxes.count(), 2);
  assert.deepEqual(
    await boxes.evaluateAll((els) => els.map((e) => [e.checked, e.disabled])),
    [
      [true, true],
      [false, true],
    ],
  );
  await boxes.nth(1).click({ force: true });
  assert.equal(await boxes.nth(1).isChecked(), false, 'a click does not tick it');

  // Hostile TeX: a javascript: link, an expansion bomb, braces nested past
  // the length limit, markup inside \text, and a rule 10,000em square.
  const nested = `${'{'.repeat(2500)}x${'}'.repeat(2500)}`;
  const hostile = {
    href: '\\href{javascript:window.__pwned=1}{click me}',
    bomb: '\\def\\a{\\a\\a}\\a',
    markup: '\\text{<img src=x onerror="window.__pwned=2">}',
    rule: '\\rule{10000em}{10000em}',
  };
  answer = await echo(
    page,
    [`Link: $${hostile.href}$ bomb: $${hostile.bomb}$ markup: $${hostile.markup}$`, '', `$$${hostile.rule}$$`, '', `$${nested}$`].join('\n'),
  );
  const bad = markdown(answer);
  // The bomb, the markup (KaTeX refuses < in \text) and the 5,001-character
  // formula are shown as their source, as text.
  assert.deepEqual(await bad.locator('code.math-error').allTextContents(), [`$${hostile.bomb}$`, `$${hostile.markup}$`, `$${nested}$`]);
  // \href is not trusted: no link at all, let alone a javascript: one.
  assert.equal(await page.locator('a[href*="javascript" i], [onerror], img[src="x"]').count(), 0);
  assert.equal(await bad.locator('a').count(), 0);
  assert.ok(await bad.locator('annotation', { hasText: 'javascript:' }).count(), 'the \\href formula went through KaTeX');
  assert.equal(await page.evaluate(() => window.__pwned), undefined, 'no script ran');
  // The rule is capped at maxSize (20em), and nothing is wider than the window.
  const rule = bad.locator('.katex .rule');
  assert.equal(await rule.count(), 1);
  const fontPx = await rule.evaluate((e) => parseFloat(getComputedStyle(e).fontSize));
  const rb = await rule.boundingBox();
  assert.ok(rb && rb.width <= 21 * fontPx && rb.height <= 21 * fontPx, `rule ${JSON.stringify(rb)} at ${fontPx}px/em`);
  const widths = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
  assert.ok(widths[0] <= widths[1], `page ${widths[0]} px wide in a ${widths[1]} px window`);
  const mb = await bad.boundingBox();
  const list = await page.getByTestId('message-list').boundingBox();
  assert.ok(mb.x + mb.width <= list.x + list.width + 1, `answer ${JSON.stringify(mb)} inside the list ${JSON.stringify(list)}`);
});

/** Replaces what a focused field holds by typing, so no change event fires until it loses focus. */
async function retype(page, field, value) {
  await field.click();
  await page.keyboard.press('Control+A');
  await page.keyboard.type(value);
}

/** Asserts that locator's box lies wholly inside the viewport. */
async function inViewport(page, locator, what) {
  const b = await locator.boundingBox();
  const v = page.viewportSize();
  assert.ok(b && b.x >= 0 && b.y >= 0 && b.x + b.width <= v.width && b.y + b.height <= v.height, `${what}: ${JSON.stringify(b)} in ${v.width}×${v.height}`);
}

/**
 * Makes Chromium lose a focused field's edit the way WebKitGTK (the real
 * window's engine) does when the field is removed from the page: WebKit
 * fires no change (nor blur) then, while Chromium fires both in the middle
 * of the removal, which commits the edit and would hide the defect of #13
 * ("Esc in the Parameters popover drops what was typed"). Events fired
 * while a node is being removed are stopped before the page sees them.
 */
async function removalFiresNoChange(page) {
  await page.evaluate(() => {
    let removing = 0;
    const wrap = (proto, name) => {
      const orig = proto[name];
      proto[name] = function (...args) {
        removing++;
        try {
          return orig.apply(this, args);
        } finally {
          removing--;
        }
      };
    };
    wrap(Element.prototype, 'remove');
    wrap(CharacterData.prototype, 'remove');
    wrap(Node.prototype, 'removeChild');
    wrap(Element.prototype, 'replaceChildren');
    const text = Object.getOwnPropertyDescriptor(Node.prototype, 'textContent');
    Object.defineProperty(Node.prototype, 'textContent', {
      ...text,
      set(v) {
        removing++;
        try {
          text.set.call(this, v);
        } finally {
          removing--;
        }
      },
    });
    for (const type of ['change', 'blur', 'focusout']) {
      window.addEventListener(type, (e) => removing && e.stopImmediatePropagation(), true);
    }
  });
}

e2e('16-params-esc', 'parameters: at 800×600 the popover fits the window; Esc (or a click elsewhere) keeps what was typed, and it is sent', async (t, page) => {
  await page.setViewportSize({ width: 800, height: 600 });
  await removalFiresNoChange(page);
  await newChat(page);
  await pickModel(page, 'deepseek-flash');
  const button = page.getByTestId('params-button');
  const pop = page.getByTestId('params-popover');
  await button.click();
  await pop.waitFor();
  await inViewport(page, pop, 'the open popover');
  // Reset, at the bottom of the popover's own scroll, is reachable.
  await pop.evaluate((e) => (e.scrollTop = e.scrollHeight));
  await inViewport(page, pop.getByTestId('params-reset'), 'Reset scrolled to');

  // Esc in a number field closes the popover and keeps the number.
  await retype(page, pop.getByTestId('param-temperature'), '0.7');
  await page.keyboard.press('Escape');
  await pop.waitFor({ state: 'detached' });
  await attr(button, 'class', /\bchanged\b/);
  await button.click();
  assert.equal(await pop.getByTestId('param-temperature').inputValue(), '0.7');

  // Esc in the system prompt keeps it too.
  await retype(page, pop.getByTestId('param-system'), 'Answer in one word.');
  await page.keyboard.press('Escape');
  await pop.waitFor({ state: 'detached' });

  // A click elsewhere (the chat pane left of the popover, which covers the
  // composer at this size) closes it and keeps what was typed.
  await button.click();
  assert.equal(await pop.getByTestId('param-system').inputValue(), 'Answer in one word.');
  await retype(page, pop.getByTestId('param-maxTokens'), '256');
  const pb = await pop.boundingBox();
  const [x, y] = [pb.x - 40, pb.y + 150];
  assert.ok(await page.evaluate(([px, py]) => !!document.elementFromPoint(px, py)?.closest('[data-testid=main]'), [x, y]), 'the point clicked is in the chat pane');
  await page.mouse.click(x, y);
  await pop.waitFor({ state: 'detached' });

  // What was typed is what the provider gets.
  await send(page, 'Parameters after Esc');
  const body = await app.last('deepseek');
  assert.equal(body.temperature, 0.7);
  assert.equal(body.max_tokens, 256);
  assert.deepEqual(body.messages[0], { role: 'system', content: 'Answer in one word.' });
});

/**
 * The app shell has not scrolled: nothing from Settings' back button up to
 * <html> (nor the document, body, #app) has a scrollTop, #app fills the
 * viewport, and the header, back button and sidebar top are on screen.
 */
async function shellInPlace(page, what) {
  const moved = await page.evaluate(() => {
    const out = [];
    const seen = new Set();
    const check = (e) => {
      if (!e || seen.has(e)) return;
      seen.add(e);
      if (e.scrollTop !== 0) out.push(`${e.tagName.toLowerCase()}${e.id ? `#${e.id}` : ''}.${[...e.classList].join('.')} scrollTop=${e.scrollTop}`);
    };
    for (let e = document.querySelector('[data-testid=settings-back]'); e; e = e.parentElement) check(e);
    for (let e = document.querySelector('[data-testid=new-chat]'); e; e = e.parentElement) check(e);
    [document.scrollingElement, document.documentElement, document.body, document.getElementById('app')].forEach(check);
    const r = document.getElementById('app').getBoundingClientRect();
    if (r.top !== 0 || Math.round(r.bottom) !== window.innerHeight) out.push(`#app spans ${r.top}..${r.bottom} of ${window.innerHeight}`);
    return out;
  });
  assert.deepEqual(moved, [], `${what}: the shell scrolled`);
  await inViewport(page, page.getByTestId('settings-back'), `${what}: Settings' back button`);
  await inViewport(page, page.locator('[data-testid=settings-view] > header'), `${what}: Settings' header`);
  await inViewport(page, page.getByTestId('settings-tab-providers'), `${what}: the Providers tab`);
  await inViewport(page, page.getByTestId('new-chat'), `${what}: the sidebar's New chat`);
}

/** Saves KEY as kimi's key in Settings (it goes to the keyring), or deletes kimi's key when KEY is "". */
async function setKimiKey(page, key) {
  await page.getByTestId('settings-nav').click();
  await page.getByTestId('settings-tab-providers').click();
  const card = page.locator('[data-testid=provider-card][data-provider=kimi]');
  const status = card.getByTestId('key-status');
  if (key) {
    await card.getByTestId('key-input').fill(key);
    await card.getByTestId('key-save').click();
    await card.getByTestId('key-saved').waitFor();
    await attr(status, 'data-source', 'keyring');
  } else {
    await card.getByTestId('key-delete').click();
    await attr(status, 'data-source', 'none');
  }
  await page.getByTestId('settings-back').click();
}

/** Settings opened on kimi's card: the card is marked, its key field focused and on screen, and the shell did not move. */
async function kimiCardInPlace(page, what) {
  const kimi = page.locator('[data-testid=provider-card][data-provider=kimi]');
  await page.getByTestId('settings-view').waitFor();
  await attr(kimi, 'class', /\bfocused\b/);
  const field = kimi.getByTestId('key-input');
  await waitUntil(async () => await field.evaluate((e) => document.activeElement === e), { what: `${what}: kimi's key field to take the focus` });
  await inViewport(page, field, `${what}: kimi's key field`);
  await shellInPlace(page, what);
  await page.getByTestId('settings-back').click();
}

e2e('17-no-shell-scroll', "shell: 'Open settings' on a key error and 'Add key' in the picker show the provider's card without scrolling the app away (800×600)", async (t, page) => {
  await page.setViewportSize({ width: 800, height: 600 });
  try {
    // A key kimi's fake refuses: the answer is an invalid-key card.
    await setKimiKey(page, 'wrong-key-kimi');
    await newChat(page);
    await pickModel(page, 'kimi-k3');
    const answer = await send(page, 'Hello with a wrong key', { want: 'error' });
    const err = answer.getByTestId('msg-error');
    assert.equal(await err.getAttribute('data-kind'), 'invalid_key');
    await err.getByTestId('msg-open-settings').click();
    await kimiCardInPlace(page, 'Open settings');

    // No key at all: kimi's group in the picker offers "Add key".
    await setKimiKey(page, '');
    await page.getByTestId('model-picker').click();
    await page.getByTestId('model-filter').fill('kimi');
    const group = page.locator('[data-testid=model-group][data-provider=kimi]');
    await group.getByTestId('model-add-key').click();
    await kimiCardInPlace(page, 'Add key');
  } finally {
    // The key the fake accepts, as the settings test left it.
    await setKimiKey(page, 'test-key-kimi');
  }
});

e2e('14-title', 'titles: with auto titles on and a cheap model agreed to, the first answer leads to the generated title in the sidebar', async (t, page) => {
  // Settings → Assistants: turn titles on, pick gpt-6-luna; it is paid, so it asks first.
  await page.getByTestId('settings-nav').click();
  await page.getByTestId('settings-tab-assistants').click();
  await page.getByTestId('titles-auto').setChecked(true, { force: true });
  const select = page.getByTestId('titles-model');
  await select.waitFor();
  await select.selectOption('gpt-6-luna');
  await text(page.getByTestId('titles-confirm'), /gpt-6-luna|GPT/);
  await page.getByTestId('titles-confirm-yes').click();
  await page.getByTestId('titles-paid-agreed').waitFor();
  const file = () => JSON.parse(readFileSync(join(app.dir, 'config', 'thinkcloud', 'settings.json'), 'utf8'));
  await waitUntil(() => file().titles?.paidModel === 'gpt-6-luna', { what: 'the titles choice to be saved' });
  assert.deepEqual(file().titles, { auto: true, model: 'gpt-6-luna', paidModel: 'gpt-6-luna' });
  try {
    await page.getByTestId('settings-back').click();
    const before = (await app.stats('openai')).requests;
    await newChat(page);
    await pickModel(page, 'deepseek-flash');
    await send(page, 'How do rainbows form?');
    const id = await activeConversation(page);
    const item = page.locator(`[data-testid=conversation-item][data-id="${id}"] [data-testid=conversation-open]`);
    // The title model got one short, non-streamed request without thinking ...
    await waitUntil(async () => (await app.stats('openai')).requests === before + 1, { what: 'the title request' });
    const body = await app.last('openai');
    assert.equal(body.stream, false);
    assert.equal(body.reasoning_effort, 'none');
    assert.ok((body.max_completion_tokens ?? body.max_tokens) <= 60, JSON.stringify(body));
    assert.match(JSON.stringify(body.messages), /How do rainbows form\?/);
    // ... and its answer (the fake's, without the final period) is the title in the sidebar.
    await attr(item, 'title', `Hello from openai (${body.model})`);
    assert.equal((await stored(page, id)).conversation.title, `Hello from openai (${body.model})`);
  } finally {
    // One app serves the whole file: later tests must not see title requests.
    await page.evaluate(async () => {
      const view = await window.go.desktop.SettingsService.Get();
      await window.go.desktop.SettingsService.Save({ ...view.settings, titles: {} });
    });
  }
});

e2e('18-long-conversation', 'a long conversation: its last 60 messages are drawn, earlier ones as the user scrolls up (the view stays put), and search opens one far back', async (t, page) => {
  // 300 messages, imported: the fastest honest way to a long conversation.
  const at = (i) => new Date(Date.UTC(2026, 10, 1, 9, 0, i)).toISOString();
  const messages = Array.from({ length: 300 }, (_, i) => ({
    id: `long-${i}`,
    ...(i > 0 && { parentId: `long-${i - 1}` }),
    role: i % 2 ? 'assistant' : 'user',
    content: i === 4 ? 'The quokka question, number 4' : `Line ${i}: ${'words '.repeat(20 + (i % 7) * 10)}`,
    status: 'complete',
    usage: {},
    stats: {},
    createdAt: at(i),
    updatedAt: at(i),
  }));
  const doc = {
    format: 'thinkcloud.conversation',
    version: 2,
    exportedAt: at(0),
    conversation: { title: 'Three hundred lines', model: 'deepseek-flash', provider: 'deepseek', systemPrompt: '', pinned: false, createdAt: at(0), updatedAt: at(299), activeId: 'long-299' },
    messages,
  };
  const file = join(app.dialogs, 'long.json');
  writeFileSync(file, JSON.stringify(doc));
  answerDialog(file);
  await page.getByTestId('import-json').click();
  await dialogAsked();
  await text(page.getByTestId('toast'), /^Conversation imported$/);
  const list = page.getByTestId('message-list');
  const drawn = () => list.locator('[data-id]').evaluateAll((els) => els.map((e) => e.querySelector('[data-testid=message-content], .markdown')?.textContent ?? ''));
  await waitUntil(async () => (await drawn()).length === 60, { what: 'the last 60 messages to be drawn' });
  assert.match((await drawn())[0], /^Line 240:/);
  assert.match((await drawn()).at(-1), /^Line 299:/);
  await text(page.getByTestId('show-earlier'), /^Earlier messages \(240\)$/);

  // The user drags the scrollbar to the top: 60 more are drawn above, and
  // the message that was first stays where it was on screen.
  const firstId = await list.locator('[data-id]').first().getAttribute('data-id');
  const y0 = await list.evaluate((el, id) => {
    el.scrollTop = 0;
    return el.querySelector(`[data-id="${id}"]`).getBoundingClientRect().top;
  }, firstId);
  await waitUntil(async () => (await drawn()).length === 120, { what: '60 earlier messages to be drawn' });
  assert.match((await drawn())[0], /^Line 180:/);
  const y1 = await list.locator(`[data-id="${firstId}"]`).evaluate((el) => el.getBoundingClientRect().top);
  assert.ok(Math.abs(y1 - y0) <= 2, `the message on screen moved from ${y0} to ${y1} px`);
  await text(page.getByTestId('show-earlier'), /^Earlier messages \(180\)$/);

  // Search finds message 4, and opening the hit draws it and marks it.
  await newChat(page);
  const search = page.getByTestId('search-input');
  await search.fill('quokka');
  await page.locator('[data-testid=search-hit]').first().click();
  const hit = list.locator('.search-hit');
  await text(hit, /The quokka question, number 4/);
  assert.ok(await hit.isVisible());
  await search.press('Escape');
});
