/**
 * Column-contract shorthands for the social models: the literal DuckDB type and `nullable: true`
 * survive into the model's type, so `Database<…>` still knows each column.
 */

/** Declares a NOT NULL column of DuckDB type `type`. */
export const col = <const T extends string>(type: T, description: string) => ({ type, description }) as const;

/** Declares a column of DuckDB type `type` that may be NULL. */
export const nullable = <const T extends string>(type: T, description: string) => ({ type, description, nullable: true }) as const;
