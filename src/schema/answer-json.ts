const encoder = new TextEncoder();

/**
 * The start of a GraphQL answer's JSON, `{"data":` and the data, byte for byte as JSON.stringify writes them, in
 * UTF-8; the caller appends the rest (`}` and Apollo's newline, or members after data).
 *
 * Why: Apollo serialises an answer into one string, and express turns it into bytes. For a full page that string
 * is 100-300 KB of two-byte characters (one "ệ" makes a whole string two-byte). It is flattened (Apollo's trailing
 * newline makes it a rope) into V8's large-object space, converted, then collected by a full GC: 11-18% of the
 * API's CPU on the bench's pages. Here each element of a list (a row of a page, a few KB) is one JSON.stringify
 * call, encoded into one growing buffer. Objects above the first lists are written key by key. Everything else is
 * JSON.stringify's own output, so the text is the same.
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
