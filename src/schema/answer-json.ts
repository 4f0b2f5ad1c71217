const encoder = new TextEncoder();

/**
 * The start of a GraphQL answer's JSON, `{"data":` and the data, as JSON.stringify writes them byte for byte, in
 * UTF-8 (the caller appends the rest: `}` and Apollo's newline, or other members after data), written a piece at a time. Apollo serialises an answer into one string and express turns it into bytes: for a full page
 * that string is 100-300 KB of two-byte characters (one "ệ" makes the whole text two-byte), allocated outside V8's
 * young generation, flattened (Apollo's trailing newline makes it a rope) and converted, then collected by a full
 * GC: 10-18% of the API's CPU on the bench's pages. Here each row of a page (every element of a list) is one
 * JSON.stringify call of a few KB, encoded by TextEncoder (simdutf) into one growing buffer. Objects above the
 * first lists are written key by key; everything else is JSON.stringify's own output, so the text is the same.
 */
export function answerHead(data: unknown): Buffer {
  const sink = new ByteSink();
  sink.text('{"data":');
  writeValue(sink, data);
  return sink.bytes();
}

function writeValue(sink: ByteSink, value: unknown): void {
  if (Array.isArray(value)) {
    // each element whole: a row of a page is a few KB, the size a stringify and an encode handle best
    sink.text("[");
    for (let i = 0; i < value.length; i++) {
      if (i > 0) sink.text(",");
      sink.text(JSON.stringify(value[i]) ?? "null"); // as JSON.stringify writes undefined or a function in a list
    }
    sink.text("]");
  } else if (isPlainObject(value)) {
    let first = true;
    sink.text("{");
    for (const key of Object.keys(value)) {
      const field = value[key];
      if (field === undefined || typeof field === "function" || typeof field === "symbol") continue; // left out, as JSON.stringify does
      sink.text(first ? `${JSON.stringify(key)}:` : `,${JSON.stringify(key)}:`);
      first = false;
      writeValue(sink, field);
    }
    sink.text("}");
  } else {
    sink.text(JSON.stringify(value) ?? "null");
  }
}

/** Objects JSON.stringify writes as their own keys (no toJSON, no class of their own): what GraphQL answers are made of. */
function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== "object") return false;
  const proto = Object.getPrototypeOf(value);
  return (proto === Object.prototype || proto === null) && typeof (value as { toJSON?: unknown }).toJSON !== "function";
}

/** UTF-8 bytes appended into one buffer, grown by doubling. */
class ByteSink {
  private buffer = Buffer.allocUnsafeSlow(64 * 1024);
  private length = 0;

  text(text: string): void {
    // a UTF-16 unit never takes more than 3 bytes in UTF-8
    if (this.length + text.length * 3 > this.buffer.length) this.grow(this.length + text.length * 3);
    this.length += encoder.encodeInto(text, this.buffer.subarray(this.length)).written;
  }

  bytes(): Buffer {
    return this.buffer.subarray(0, this.length);
  }

  private grow(needed: number): void {
    let size = this.buffer.length * 2;
    while (size < needed) size *= 2;
    const larger = Buffer.allocUnsafeSlow(size);
    this.buffer.copy(larger, 0, 0, this.length);
    this.buffer = larger;
  }
}
