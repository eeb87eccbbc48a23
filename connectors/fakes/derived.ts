/**
 * Values a fake derives from the world's lists (an index, a sorted selection), kept until one of
 * those lists is replaced or changes length. Fakes read the world at request time so tests may add
 * records between requests; deriving once per change instead of once per page keeps paging a list
 * of n records O(n) rather than O(n²).
 */

/** Which lists (by identity) and how long they were when a value was derived from them. */
type ListVersion = readonly { list: readonly unknown[]; length: number }[];

function versionOf(lists: readonly (readonly unknown[])[]): ListVersion {
  return lists.map((list) => ({ list, length: list.length }));
}

function sameVersion(a: ListVersion, b: readonly (readonly unknown[])[]): boolean {
  return a.length === b.length && a.every((x, i) => x.list === b[i] && x.length === b[i]!.length);
}

/**
 * Returns a getter of `build(key)` that remembers up to `keep` keys while every list of `lists()`
 * is the same array with the same length (changing a record in place needs a new array).
 *
 * @example
 * const ratedTickets = derivedByKey(() => [world.service.tickets], () => world.service.tickets.filter((t) => t.satisfaction));
 * ratedTickets(''); // filtered once, until a ticket is added
 */
export function derivedByKey<T>(lists: () => readonly (readonly unknown[])[], build: (key: string) => T, keep = 16): (key: string) => T {
  let version: ListVersion = [];
  const values = new Map<string, T>();
  return (key: string): T => {
    const now = lists();
    if (!sameVersion(version, now)) {
      version = versionOf(now);
      values.clear();
    }
    let value = values.get(key);
    if (value === undefined && !values.has(key)) {
      value = build(key);
      // A few selections are paged at the same time at most; the oldest goes first.
      if (values.size >= keep) values.delete(values.keys().next().value!);
      values.set(key, value);
    }
    return value as T;
  };
}

/** Returns a getter of `build()` remembered while every list of `lists()` is unchanged (see `derivedByKey`). */
export function derived<T>(lists: () => readonly (readonly unknown[])[], build: () => T): () => T {
  const byKey = derivedByKey(lists, build, 1);
  return () => byKey('');
}

/** Index of the first item of `sorted` for which `isAfter` holds, when it holds for a suffix of it (binary search). */
export function firstIndexWhere<T>(sorted: readonly T[], isAfter: (item: T) => boolean): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (isAfter(sorted[mid]!)) high = mid;
    else low = mid + 1;
  }
  return low;
}
