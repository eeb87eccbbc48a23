/**
 * Reusable buffers that response bodies are read into.
 *
 * Why: a stream of a million records arrives as hundreds of megabytes of page bodies. Reading
 * each into a fresh buffer (plus undici's own copy when it joins the chunks) makes V8 collect
 * every few dozen pages, and the collector threads then take about a tenth of the machine's CPU
 * during an extract. A paging walk holds only a few bodies at a time, so it reads each into a
 * buffer from a small pool and hands the buffer back once the page is done with.
 */

/** The first size of a pooled buffer; it doubles when a body does not fit. */
const INITIAL_BYTES = 1 << 20;

/** A growable buffer that one response body at a time is read into. */
export class BodyBuffer {
  private bytes: Buffer = Buffer.allocUnsafeSlow(INITIAL_BYTES);

  /** Reads a whole body into this buffer and returns a view of it, valid until the next read. */
  async read(body: AsyncIterable<Uint8Array>): Promise<Buffer> {
    let length = 0;
    for await (const chunk of body) {
      if (length + chunk.length > this.bytes.length) {
        let size = this.bytes.length * 2;
        while (size < length + chunk.length) size *= 2;
        const grown = Buffer.allocUnsafeSlow(size);
        this.bytes.copy(grown, 0, 0, length);
        this.bytes = grown;
      }
      this.bytes.set(chunk, length);
      length += chunk.length;
    }
    return this.bytes.subarray(0, length);
  }
}

/** A pool of body buffers: `take` one per request, `give` it back when its page is done with. */
export class BodyBufferPool {
  private readonly free: BodyBuffer[] = [];

  take(): BodyBuffer {
    return this.free.pop() ?? new BodyBuffer();
  }

  give(buffer: BodyBuffer): void {
    this.free.push(buffer);
  }
}
