/**
 * Finds personal data in a DuckDB file: e-mail addresses, and the sample world's private persons
 * (customers' names and e-mails, social users' handles and names) in every text column.
 */
import { DuckDBInstance } from '@duckdb/node-api';
import type { World } from '../../core/sample-world/types.ts';
import { ident, literal, qualified } from '../../core/sql.ts';

/** One column that holds personal data, with an example. */
export interface Leak {
  table: string;
  column: string;
  kind: 'email' | 'known person';
  rows: number;
  example: string;
}

/** Text a private person of the world could be recognised by, lower-cased. */
export function personalNeedles(world: World): string[] {
  const needles = new Set<string>();
  for (const c of world.commerce.customers) {
    needles.add(c.email.toLowerCase());
    needles.add(`${c.firstName} ${c.lastName}`.toLowerCase());
  }
  for (const u of world.social.users) {
    // Short handles and names collide with ordinary words; they are left to the e-mail check.
    if (u.handle.replace(/^@/, '').length >= 6) needles.add(u.handle.replace(/^@/, '').toLowerCase());
    if (u.displayName.includes(' ')) needles.add(u.displayName.toLowerCase());
  }
  return [...needles];
}

const EMAIL = String.raw`[a-z0-9._%+-]+@[a-z0-9-]+(\.[a-z0-9-]+)*\.[a-z]{2,}`;

/** Scans every VARCHAR column of every table and view in a DuckDB file (opened read-only). */
export async function scanForPersonalData(path: string, needles: string[]): Promise<Leak[]> {
  const instance = await DuckDBInstance.create(path, { access_mode: 'READ_ONLY' });
  const conn = await instance.connect();
  const rows = async <T>(sql: string) => (await conn.runAndReadAll(sql)).getRowObjectsJS() as T[];
  try {
    await conn.run(`create temp table pulse_needles as select unnest(${`[${needles.map((n) => literal(n)).join(', ')}]::varchar[]`}) as needle`);
    const columns = await rows<{ s: string; t: string; c: string }>(
      `select table_schema s, table_name t, column_name c from information_schema.columns where data_type = 'VARCHAR' and table_catalog = current_database() and table_schema <> 'pg_catalog' order by 1, 2, 3`,
    );
    const leaks: Leak[] = [];
    for (const { s, t, c } of columns) {
      const from = qualified(s, t);
      const col = ident(c);
      const [email] = await rows<{ n: bigint; example: string | null }>(
        `select count(*) n, any_value(${col}) example from ${from} where regexp_matches(lower(${col}), ${literal(EMAIL)})`,
      );
      if (Number(email?.n ?? 0) > 0) leaks.push({ table: `${s}.${t}`, column: c, kind: 'email', rows: Number(email!.n), example: String(email!.example).slice(0, 120) });
      const [known] = await rows<{ n: bigint; example: string | null }>(
        `select count(distinct v.text_value) n, any_value(v.text_value) example from (select lower(${col}) as text_value from ${from} where ${col} is not null group by 1) v join pulse_needles on contains(v.text_value, pulse_needles.needle)`,
      );
      if (Number(known?.n ?? 0) > 0) leaks.push({ table: `${s}.${t}`, column: c, kind: 'known person', rows: Number(known!.n), example: String(known!.example).slice(0, 120) });
    }
    return leaks;
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}
