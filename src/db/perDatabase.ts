import type { Executor } from "./client.js";

/** One instance per database handle, made on first use: for memories that must not outlive their database. */
export function perDatabase<T extends object>(make: (db: Executor) => T): (db: Executor) => T {
  const made = new WeakMap<Executor, T>();
  return (db) => {
    let value = made.get(db);
    if (!value) {
      value = make(db);
      made.set(db, value);
    }
    return value;
  };
}
