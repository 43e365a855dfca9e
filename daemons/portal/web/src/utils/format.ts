// Display helpers. The API speaks ISO-8601 UTC; the UI shows local time.

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return (
    `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ` +
    `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`
  );
}

export function formatDate(iso: string | null | undefined): string {
  return formatTime(iso).slice(0, 10);
}

export function isLocked(lockedUntil: string | null | undefined): boolean {
  if (!lockedUntil) return false;
  const t = new Date(lockedUntil).getTime();
  return !Number.isNaN(t) && t > Date.now();
}

/** Turns the element-plus sort event into the API's `sort` parameter. */
export function sortParam(prop: string | null, order: 'ascending' | 'descending' | null): string | undefined {
  if (!prop || !order) return undefined;
  return order === 'descending' ? `-${prop}` : prop;
}
