import { describe, expect, it } from 'vitest';
import { createKeyTracker, PageShapeError, peekEnvelope, splitPage } from '../../../connectors/load/json-records.ts';

const split = (text: string, path: string[], keys = createKeyTracker()) => {
  const r = splitPage(Buffer.from(text), path, keys);
  return { envelope: r.envelope, lines: Buffer.from(r.ndjson).toString().split('\n').filter((l) => l.trim()), count: r.count, keys: [...keys.keys].sort() };
};

describe('splitPage', () => {
  it('splits records into NDJSON lines and parses the envelope around them', () => {
    const r = split('{"data":[{"id":"1","m":"a,b]}"},{"id":"2","n":{"x":[1,2]}}],"paging":{"cursors":{"after":"c2"}}}', ['data']);
    expect(r.count).toBe(2);
    expect(r.lines.map((l) => JSON.parse(l))).toEqual([{ id: '1', m: 'a,b]}' }, { id: '2', n: { x: [1, 2] } }]);
    expect(r.envelope).toEqual({ data: [], paging: { cursors: { after: 'c2' } } });
    expect(r.keys).toEqual(['id', 'm', 'n']);
  });

  it('handles escaped quotes and backslashes inside strings', () => {
    const r = split('{"data":[{"t":"say \\"hi\\", ok\\\\"},{"t":"\\\\\\""}]}', ['data']);
    expect(r.lines.map((l) => JSON.parse(l))).toEqual([{ t: 'say "hi", ok\\' }, { t: '\\"' }]);
  });

  it('keeps one record a line when the API pretty-prints', () => {
    const r = split('{\n  "data": [\n    {\n      "id": 1,\n      "v": "x"\n    },\n    {"id": 2}\n  ],\n  "next": null\n}', ['data']);
    expect(r.count).toBe(2);
    expect(r.lines.map((l) => JSON.parse(l))).toEqual([{ id: 1, v: 'x' }, { id: 2 }]);
    expect(r.envelope).toEqual({ data: [], next: null });
  });

  it('finds nested record paths and bodies that are the array', () => {
    expect(split('{"response":{"items":[{"a":1}],"total":1},"x":2}', ['response', 'items']).envelope).toEqual({ response: { items: [], total: 1 }, x: 2 });
    expect(split('[{"a":1},{"a":2}]', []).count).toBe(2);
  });

  it('treats a missing, null or empty array as a page with no records', () => {
    expect(split('{"paging":{}}', ['data']).count).toBe(0);
    expect(split('{"data":null}', ['data']).count).toBe(0);
    expect(split('{"data":[]}', ['data'])).toMatchObject({ count: 0, lines: [] });
  });

  it('learns field names only for key sets not seen before, including later new fields', () => {
    const keys = createKeyTracker();
    split('{"data":[{"a":1,"b":2},{"a":3,"b":4}]}', ['data'], keys);
    expect(keys.signatures.size).toBe(1);
    split('{"data":[{"a":1,"b":2,"c":{"deep":1}}]}', ['data'], keys);
    expect([...keys.keys].sort()).toEqual(['a', 'b', 'c']);
  });

  it('rejects truncated and non-JSON bodies with a PageShapeError', () => {
    expect(() => splitPage(Buffer.from('{"data":[{"a":"unterminated'), ['data'])).toThrow(PageShapeError);
    expect(() => splitPage(Buffer.from('{"data":[{"a":1},{"b":'), ['data'])).toThrow(PageShapeError);
    expect(() => splitPage(Buffer.from('<html>502 Bad Gateway</html>'), ['data'])).toThrow(PageShapeError);
    expect(() => splitPage(Buffer.from('{"data":[1,2]}'), ['data'])).toThrow(/not a JSON object/);
    expect(() => splitPage(Buffer.from('{"data":{"a":1}}'), ['data'])).toThrow(/expected an array/);
  });
});

describe('peekEnvelope', () => {
  const peek = (text: string, path = ['data']) => peekEnvelope(Buffer.from(text), path);

  it('reads the envelope around the record array without scanning the records', () => {
    expect(peek('{"data":[{"id":"1","m":"a,b]}"},{"id":"2"}],"paging":{"cursors":{"after":"c2"},"next":"http://x/?a=[1]"}}')).toEqual({
      data: [],
      paging: { cursors: { after: 'c2' }, next: 'http://x/?a=[1]' },
    });
  });

  it('walks back over strings with escaped quotes, backslashes and brackets', () => {
    expect(peek('{"data":[{"id":1}],"note":"say \\"]\\" \\\\","paging":{"after":"c\\\\"}}\n')).toEqual({ data: [], note: 'say "]" \\', paging: { after: 'c\\' } });
  });

  it('keeps every member after the last top-level array, which is all a cursor needs', () => {
    // A second array after the records hides the members between the two, never invents one.
    expect(peek('{"data":[{"id":1}],"skipped":1,"included":[{"x":1}],"paging":{"after":"c2"}}')).toEqual({ data: [], paging: { after: 'c2' } });
  });

  it('gives up on shapes it cannot read cheaply', () => {
    expect(peek('[{"id":1}]', [])).toBeUndefined();
    expect(peek('{"a":{"data":[]}}', ['a', 'data'])).toBeUndefined();
    expect(peek('{"data":[{"id":1},{"id":2')).toBeUndefined();
    expect(peek('{"data":null,"paging":{}}')).toBeUndefined();
    expect(peek('not json')).toBeUndefined();
  });
});
