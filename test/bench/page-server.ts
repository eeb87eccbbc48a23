/**
 * A paged JSON API for the ingest benchmark, run in its own process so serving pages does not
 * compete with the extractor's JS thread (a real API is on another machine). It pre-renders
 * Graph-style pages (`{"data":[...],"paging":{"cursors":{"after":...}}}`) from an NDJSON file and
 * prints its URL on stdout.
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

const [file, pageSizeText] = process.argv.slice(2);
if (!file) throw new Error('usage: page-server.ts FILE [PAGE_SIZE]');
const pageSize = Number(pageSizeText ?? 1000);
const lines = readFileSync(file, 'utf8').split('\n').filter(Boolean);
const pages: Buffer[] = [];
for (let i = 0; i < lines.length; i += pageSize) {
  const next = i + pageSize < lines.length ? `{"cursors":{"after":"${i + pageSize}"},"total":${lines.length}}` : `{"total":${lines.length}}`;
  pages.push(Buffer.from(`{"data":[${lines.slice(i, i + pageSize).join(',')}],"paging":${next}}`));
}
const server = createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const after = Number(url.searchParams.get('after') ?? '0');
  const page = pages[Math.floor(after / pageSize)] ?? Buffer.from('{"data":[],"paging":{}}');
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': page.length });
  res.end(page);
});
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`http://127.0.0.1:${(server.address() as AddressInfo).port}\n`);
});
