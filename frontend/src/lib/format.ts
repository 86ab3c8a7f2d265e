/** 131072 → "128K", 128000 → "128K", 1048576 → "1M", 0 → "" (unknown). Round decimal sizes win over binary ones. */
export function formatContext(n: number): string {
  if (!Number.isFinite(n) || n <= 0) return '';
  const MiB = 1024 * 1024;
  if (n >= 1_000_000) {
    const v = n % 1_000_000 === 0 ? n / 1_000_000 : n / MiB;
    return `${trim(v)}M`;
  }
  if (n >= 1000) {
    const v = n % 1000 === 0 ? n / 1000 : n % 1024 === 0 ? n / 1024 : n / 1000;
    return `${trim(Number.isInteger(v) ? v : Math.round(v))}K`;
  }
  return String(n);
}

function trim(v: number): string {
  return Number.isInteger(v) ? String(v) : v.toFixed(1).replace(/\.0$/, '');
}

/** 3210 → "3.2" (seconds, one decimal). */
export function secondsText(ms: number): string {
  return (Math.max(0, ms) / 1000).toFixed(1);
}

/** 420 → "420 ms", 1530 → "1.53 s". */
export function durationText(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(2)} s`;
}

export function rateText(tokensPerSec: number): string {
  return tokensPerSec >= 100 ? String(Math.round(tokensPerSec)) : tokensPerSec.toFixed(1);
}

/** Lines of a textarea → trimmed, non-empty entries. */
export function splitLines(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((s) => s.trim())
    .filter(Boolean);
}

/** "My Provider!" → "my-provider" (used as id for new custom providers). */
export function slugify(name: string): string {
  return (
    name
      .toLowerCase()
      .normalize('NFKD')
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 40) || 'custom'
  );
}
