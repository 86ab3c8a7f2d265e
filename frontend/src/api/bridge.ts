// The ONLY place that touches the Wails globals (window.go / window.runtime).
// Everything else in the app goes through the typed wrappers in src/api.
// Services and Topics are generated from Go (types.ts), so a call or a
// subscription that does not match Go does not compile.
import type { Problem, ProblemCode, Services, Topics, WailsGo } from './types';

export type ServiceName = keyof Services;
type MethodName<S extends ServiceName> = keyof Services[S] & string;
type Args<S extends ServiceName, M extends MethodName<S>> = Services[S][M] extends (...args: infer A) => unknown ? A : never;
type Result<S extends ServiceName, M extends MethodName<S>> = Services[S][M] extends (...args: never[]) => Promise<infer R>
  ? R
  : never;

type BoundMethod = (...args: unknown[]) => Promise<unknown>;

interface WailsRuntime {
  EventsOnMultiple?: (name: string, cb: (...data: unknown[]) => void, max: number) => unknown;
  BrowserOpenURL?: (url: string) => void;
  ClipboardSetText?: (text: string) => Promise<boolean>;
}

interface WailsWindow {
  // Any service may be missing (DiagService is bound only on request, tests bind a few).
  go?: { [N in keyof WailsGo]?: Partial<Record<ServiceName, Record<string, BoundMethod | undefined>>> };
  runtime?: WailsRuntime;
}

function wails(): WailsWindow {
  return (typeof window === 'undefined' ? {} : window) as unknown as WailsWindow;
}

/** Error raised by a bound Go method (or by the bridge when Go is missing). */
export class BackendError extends Error {
  readonly method: string;
  /** The Problem's code when Go sent one (desktop.Problem); its message is then in the window's words. */
  code?: ProblemCode;
  params?: Record<string, string>;
  constructor(message: string, method: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'BackendError';
    this.method = method;
  }
}

/** Words a Problem in the window's language; "" leaves Go's English. Set once by lib/problems. */
let wordProblem: (p: Problem) => string = () => '';

export function setProblemWords(fn: (p: Problem) => string): void {
  wordProblem = fn;
}

function isProblem(v: unknown): v is Problem {
  return !!v && typeof v === 'object' && typeof (v as Problem).code === 'string' && typeof (v as Problem).message === 'string';
}

/** Turns whatever a rejected Wails promise carries (usually a plain string) into an Error. */
export function toError(reason: unknown, method: string): BackendError {
  if (reason instanceof BackendError) return reason;
  if (reason instanceof Error) return new BackendError(reason.message || String(reason), method, { cause: reason });
  if (typeof reason === 'string') return new BackendError(reason.trim() || 'unknown error', method);
  if (isProblem(reason)) {
    const err = new BackendError(wordProblem(reason) || reason.message, method, { cause: reason });
    err.code = reason.code;
    err.params = reason.params;
    return err;
  }
  if (reason && typeof reason === 'object' && 'message' in reason) {
    const msg = (reason as { message: unknown }).message;
    if (typeof msg === 'string' && msg) return new BackendError(msg, method, { cause: reason });
  }
  let text: string;
  try {
    text = reason === undefined ? 'unknown error' : JSON.stringify(reason);
  } catch {
    text = String(reason);
  }
  return new BackendError(text, method, { cause: reason });
}

export function backendAvailable(): boolean {
  return !!wails().go?.desktop;
}

/** Whether Go bound this service (DiagService is bound only on request). */
export function serviceBound(service: ServiceName): boolean {
  return !!wails().go?.desktop?.[service];
}

/** Calls window.go.desktop.<service>.<method>(...args); rejections always become Error objects. */
export async function call<S extends ServiceName, M extends MethodName<S>>(
  service: S,
  method: M,
  ...args: Args<S, M>
): Promise<Result<S, M>> {
  const name = `${service}.${method}`;
  const fn = wails().go?.desktop?.[service]?.[method];
  if (typeof fn !== 'function') throw new BackendError(`backend unavailable (${name})`, name);
  try {
    return (await fn(...args)) as Result<S, M>;
  } catch (e) {
    throw toError(e, name);
  }
}

// ---------- events ----------
// One Wails subscription per event name, fanned out to local listeners, so that
// unsubscribing one listener never needs EventsOff (which drops every listener).

type Listener = (payload: unknown) => void;
const listeners = new Map<string, Set<Listener>>();
const attached = new Set<string>();

function attach(name: string): void {
  if (attached.has(name)) return;
  const rt = wails().runtime;
  if (typeof rt?.EventsOnMultiple !== 'function') return; // retried on the next subscribe
  rt.EventsOnMultiple(name, (...data: unknown[]) => emitLocal(name, data[0]), -1);
  attached.add(name);
}

/** Delivers a payload to local listeners. Exported for tests and for the bridge itself. */
export function emitLocal(name: string, payload: unknown): void {
  const set = listeners.get(name);
  if (!set) return;
  for (const l of [...set]) {
    try {
      l(payload);
    } catch (e) {
      console.error(`listener for ${name} failed`, e);
    }
  }
}

export function subscribe<N extends keyof Topics>(name: N, cb: (payload: Topics[N]) => void): () => void {
  let set = listeners.get(name);
  if (!set) {
    set = new Set();
    listeners.set(name, set);
  }
  const l = cb as Listener;
  set.add(l);
  attach(name);
  return () => {
    set.delete(l);
  };
}

/** Test helper: forget every listener and Wails attachment. */
export function resetBridgeForTests(): void {
  listeners.clear();
  attached.clear();
}

// ---------- runtime helpers ----------

/**
 * Opens a link in the user's browser. Go opens it when it can (and rejects
 * with why it could not: Wails' BrowserOpenURL only logs a failure);
 * otherwise the runtime's BrowserOpenURL or a new browser tab.
 */
export async function openExternal(url: string): Promise<void> {
  if (typeof wails().go?.desktop?.ChatService?.OpenLink === 'function') {
    await call('ChatService', 'OpenLink', url);
    return;
  }
  const rt = wails().runtime;
  if (typeof rt?.BrowserOpenURL === 'function') rt.BrowserOpenURL(url);
  else window.open(url, '_blank', 'noopener,noreferrer');
}

export async function copyText(text: string): Promise<void> {
  const rt = wails().runtime;
  if (typeof rt?.ClipboardSetText === 'function') {
    try {
      if (await rt.ClipboardSetText(text)) return;
    } catch {
      /* fall through to the web clipboard */
    }
  }
  if (navigator.clipboard?.writeText) {
    try {
      await navigator.clipboard.writeText(text);
      return;
    } catch {
      /* fall through */
    }
  }
  const ta = document.createElement('textarea');
  ta.value = text;
  ta.style.position = 'fixed';
  ta.style.opacity = '0';
  document.body.appendChild(ta);
  ta.select();
  const ok = document.execCommand?.('copy');
  ta.remove();
  if (!ok) throw new Error('clipboard unavailable');
}
