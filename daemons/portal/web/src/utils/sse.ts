// Server-sent events read from a fetch body, as the OpenAI streaming API
// sends them: events separated by a blank line, payload in `data:` lines.
// EventSource cannot POST a JSON body, hence this reader.

/** Yields the data of each event as it arrives (multi-line data joined by "\n"). */
export async function* readSseData(body: ReadableStream<Uint8Array>, signal?: AbortSignal): AsyncGenerator<string> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  const onAbort = () => void reader.cancel().catch(() => undefined);
  signal?.addEventListener('abort', onAbort);
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      // Normalise CRLF and lone CR so one separator rule covers every server.
      buffer = buffer.replace(/\r\n?/g, '\n');
      let cut: number;
      while ((cut = buffer.indexOf('\n\n')) >= 0) {
        const data = eventData(buffer.slice(0, cut));
        buffer = buffer.slice(cut + 2);
        if (data !== null) yield data;
      }
    }
    buffer += decoder.decode();
    const tail = eventData(buffer.replace(/\r\n?/g, '\n'));
    if (tail !== null) yield tail;
  } finally {
    signal?.removeEventListener('abort', onAbort);
    reader.releaseLock();
  }
}

/** The data of one event block; null for comments and events without data. */
function eventData(block: string): string | null {
  const lines: string[] = [];
  for (const line of block.split('\n')) {
    if (!line.startsWith('data:')) continue;
    lines.push(line.slice(line.startsWith('data: ') ? 6 : 5));
  }
  return lines.length ? lines.join('\n') : null;
}
