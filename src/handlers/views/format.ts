// Small text formatters shared by the views (pure).
import type { PodStatus } from '../../services/domain.ts';

/** "$1,234.50". By hand: toLocaleString goes through ICU and was the costliest call in a pod list. */
export function usd(n: number | null | undefined, digits = 2): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '—';
  const sign = n < 0 ? '-' : '';
  const [int = '0', frac] = Math.abs(n).toFixed(digits).split('.');
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${sign}$${grouped}${frac ? `.${frac}` : ''}`;
}

export const perHour = (n: number | null | undefined): string => `${usd(n)}/h`;

export const STATUS_ICON: Record<PodStatus, string> = {
  RUNNING: ':large_green_circle:',
  CREATED: ':large_yellow_circle:',
  RESTARTING: ':large_yellow_circle:',
  EXITED: ':white_circle:',
  PAUSED: ':white_circle:',
  DEAD: ':red_circle:',
  TERMINATED: ':black_circle:',
};

export function owner(userId: string | null | undefined): string {
  if (!userId) return '_unattributed_';
  return /^[UW][A-Z0-9]+$/.test(userId) ? `<@${userId}>` : userId;
}

export function duration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '—';
  const m = Math.floor(seconds / 60);
  if (m < 60) return `${m} min`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h} h ${m % 60} min`;
  return `${Math.floor(h / 24)} days ${h % 24} h`;
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** Short GPU label: "2× RTX A6000", "1× NVIDIA A40". */
export function gpuLabel(count: number, name: string | null | undefined): string {
  return `${count}× ${name ?? 'GPU (not placed yet)'}`;
}

/** The icon for what an action did: done, sent for approval, or nothing to do. */
export function outcomeIcon(outcome: 'done' | 'noop' | 'needs-approval'): string {
  return outcome === 'done'
    ? ':white_check_mark:'
    : outcome === 'needs-approval'
      ? ':raised_hand:'
      : ':information_source:';
}

/** Slack's date token (each reader sees their own time zone), with a UTC fallback text. */
export function slackDate(ms: number): string {
  const iso = new Date(ms).toISOString();
  return `<!date^${Math.floor(ms / 1000)}^{date_short_pretty} {time}|${iso.replace('T', ' ').slice(0, 16)} UTC>`;
}
