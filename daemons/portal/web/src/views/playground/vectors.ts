// Small vector helpers for the embedding tab.

/** Cosine similarity; null when either vector is empty, all zeros or the lengths differ. */
export function cosine(a: number[], b: number[]): number | null {
  if (!a.length || a.length !== b.length) return null;
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i] * b[i];
    na += a[i] * a[i];
    nb += b[i] * b[i];
  }
  if (na === 0 || nb === 0) return null;
  return dot / Math.sqrt(na * nb);
}

export function firstValues(v: number[], n: number): string {
  const shown = v.slice(0, n).map((x) => x.toFixed(6));
  return `[${shown.join(', ')}${v.length > n ? ', …' : ''}]`;
}
