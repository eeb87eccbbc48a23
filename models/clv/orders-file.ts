/**
 * Reads an orders file (CSV or Parquet) into `Order`s through DuckDB's readers, finding the
 * customer, date and amount columns by their common names unless they are given.
 */
import { DuckDBInstance } from '@duckdb/node-api';
import { TerminalError } from '../../core/errors.ts';
import type { Order } from './rfm.ts';

/** Names of the three columns, where they differ from the common ones. */
export interface OrderColumns {
  customerId?: string;
  date?: string;
  amount?: string;
}

/** Options for `readOrdersFile`. */
export interface ReadOrdersOptions {
  /** File format; by default from the extension (.csv, .tsv, .txt, optionally .gz → csv; .parquet, .pq → parquet). */
  format?: 'csv' | 'parquet';
  /** Explicit column names (matched case-insensitively). */
  columns?: OrderColumns;
}

/** Raised when an orders file cannot be read or lacks a column; the context names the file and column. */
export class OrdersFileError extends TerminalError {
  override name = 'OrdersFileError';
}

/** Common names for each column, in order of preference, compared after lower-casing and turning non-alphanumerics into `_`. */
export const ORDER_COLUMN_CANDIDATES: Readonly<Record<keyof OrderColumns, readonly string[]>> = {
  customerId: ['customer_id', 'customer', 'customerid', 'customer_key', 'client_id', 'user_id'],
  date: ['order_date', 'date', 'created_at', 'ordered_at', 'order_timestamp', 'purchase_date', 'timestamp'],
  amount: ['amount', 'total', 'revenue', 'total_price', 'order_total', 'value'],
};

const OPTION_NAME: Record<keyof OrderColumns, string> = { customerId: 'columns.customerId', date: 'columns.date', amount: 'columns.amount' };

function normalize(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_|_$/g, '');
}

function sqlString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

function sqlIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

function formatOf(file: string, options: ReadOrdersOptions): 'csv' | 'parquet' {
  if (options.format) return options.format;
  const lower = file.toLowerCase().replace(/\.gz$/, '');
  if (/\.(csv|tsv|txt)$/.test(lower)) return 'csv';
  if (/\.(parquet|pq)$/.test(lower)) return 'parquet';
  throw new OrdersFileError(`cannot tell the format of ${file} from its extension`, {
    context: { file },
    hint: "pass format: 'csv' or 'parquet'",
  });
}

/**
 * Reads orders from a CSV or Parquet file. Dates may be DATE, TIMESTAMP, TIMESTAMPTZ or ISO text and
 * are read as UTC instants; amounts must be numeric; ids are read as text.
 * Throws `OrdersFileError` naming the file and the column when a column is missing or holds
 * unreadable or empty values.
 *
 * @example await readOrdersFile('exports/orders.csv') // columns customer_id, created_at, total
 */
export async function readOrdersFile(file: string, options: ReadOrdersOptions = {}): Promise<Order[]> {
  const format = formatOf(file, options);
  const source = format === 'csv' ? `read_csv_auto(${sqlString(file)})` : `read_parquet(${sqlString(file)})`;
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    await connection.run("set TimeZone = 'UTC'");
    let described: Record<string, unknown>[];
    try {
      described = (await connection.runAndReadAll(`describe select * from ${source}`)).getRowObjectsJS();
    } catch (cause) {
      throw new OrdersFileError(`cannot read ${file} as ${format}`, {
        cause,
        context: { file },
        hint: 'check that the file exists and is a valid CSV (with a header row) or Parquet file',
      });
    }
    const available = described.map((row) => ({ name: String(row['column_name']), type: String(row['column_type']) }));
    const pick = (key: keyof OrderColumns) => findColumn(file, available, key, options.columns?.[key]);
    const customer = pick('customerId');
    const date = pick('date');
    const amount = pick('amount');
    if (!/^(DATE|TIMESTAMP|VARCHAR)/.test(date.type)) {
      throw new OrdersFileError(`column ${date.name} of ${file} has type ${date.type}, not a date`, {
        context: { file, field: date.name },
        hint: 'export the order date as a date, a timestamp or ISO 8601 text, or name the right column with columns.date',
      });
    }

    const reader = await connection.runAndReadAll(`
      select
        row_number() over () as row_number,
        cast(${sqlIdentifier(customer.name)} as varchar) as customer_id,
        ${sqlIdentifier(date.name)} is null as date_missing,
        epoch_ms(try_cast(${sqlIdentifier(date.name)} as timestamptz)) as date_ms,
        cast(${sqlIdentifier(date.name)} as varchar) as date_text,
        try_cast(${sqlIdentifier(amount.name)} as double) as amount,
        cast(${sqlIdentifier(amount.name)} as varchar) as amount_text
      from ${source}`);
    const orders: Order[] = [];
    for (const [rowNumber, customerId, dateMissing, dateMs, dateText, amountValue, amountText] of reader.getRowsJS()) {
      const row = Number(rowNumber);
      if (customerId === null) throw badValue(file, customer.name, row, 'is empty');
      if (dateMissing === true) throw badValue(file, date.name, row, 'is empty');
      if (dateMs === null) throw badValue(file, date.name, row, `is not a date: ${String(dateText)}`);
      if (typeof amountValue !== 'number' || !Number.isFinite(amountValue)) {
        throw badValue(file, amount.name, row, amountText === null ? 'is empty' : `is not a number: ${String(amountText)}`);
      }
      orders.push({ customerId: String(customerId), date: new Date(Number(dateMs)), amount: amountValue });
    }
    return orders;
  } catch (error) {
    if (error instanceof OrdersFileError) throw error;
    throw new OrdersFileError(`failed reading orders from ${file}`, { cause: error, context: { file }, hint: 'see the cause; check the file is complete and well-formed' });
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

function findColumn(
  file: string,
  available: ReadonlyArray<{ name: string; type: string }>,
  key: keyof OrderColumns,
  explicit: string | undefined,
): { name: string; type: string } {
  const wanted = explicit === undefined ? ORDER_COLUMN_CANDIDATES[key] : [explicit];
  for (const candidate of wanted) {
    const found = available.find((c) => normalize(c.name) === normalize(candidate));
    if (found) return found;
  }
  const columnNames = available.map((c) => c.name).join(', ');
  const what = { customerId: 'customer id', date: 'order date', amount: 'amount' }[key];
  throw new OrdersFileError(
    explicit === undefined
      ? `${file} has no ${what} column (looked for ${wanted.join(', ')}; found ${columnNames})`
      : `${file} has no column ${explicit} (given as ${OPTION_NAME[key]}; found ${columnNames})`,
    {
      context: { file, field: explicit ?? what },
      hint: `rename the column, or pass its name as ${OPTION_NAME[key]}`,
    },
  );
}

function badValue(file: string, column: string, row: number, problem: string): OrdersFileError {
  return new OrdersFileError(`${file}: column ${column}, data row ${row} ${problem}`, {
    context: { file, field: column, record: row },
    hint: 'fix or remove the row (amounts must be numbers, dates ISO 8601), then read the file again',
  });
}
