/**
 * vitest 5 declares `engines.node: ^22.12.0`, yet the project runs on Node 20. Its main process
 * (reporters, snapshot saving, watch mode) calls three ES2024 built-ins that Node 20 lacks; without
 * them the default reporter throws `Map.groupBy is not a function` while printing a *failed* run,
 * which also swallows the summary line. vitest.config.ts imports this file, so the polyfills
 * apply to the vitest main process only, never to the test workers (the code under test must
 * bring its own polyfills, as it will have to in production).
 */

type GroupKey = PropertyKey;
// tsconfig targets ES2022 libs on purpose (Node 20), so these built-ins are untyped here.
const has = (target: object, name: string): boolean =>
  typeof (target as Record<string, unknown>)[name] === 'function';

if (!has(Map, 'groupBy')) {
  Object.defineProperty(Map, 'groupBy', {
    configurable: true,
    writable: true,
    value: function groupBy<K, T>(items: Iterable<T>, keyOf: (item: T, index: number) => K): Map<K, T[]> {
      const groups = new Map<K, T[]>();
      let i = 0;
      for (const item of items) {
        const key = keyOf(item, i++);
        const group = groups.get(key);
        if (group) group.push(item);
        else groups.set(key, [item]);
      }
      return groups;
    },
  });
}

if (!has(Object, 'groupBy')) {
  Object.defineProperty(Object, 'groupBy', {
    configurable: true,
    writable: true,
    value: function groupBy<T>(
      items: Iterable<T>,
      keyOf: (item: T, index: number) => GroupKey,
    ): Partial<Record<GroupKey, T[]>> {
      const groups: Partial<Record<GroupKey, T[]>> = Object.create(null);
      let i = 0;
      for (const item of items) {
        const key = keyOf(item, i++);
        (groups[key] ??= []).push(item);
      }
      return groups;
    },
  });
}

if (!has(Promise, 'withResolvers')) {
  Object.defineProperty(Promise, 'withResolvers', {
    configurable: true,
    writable: true,
    value: function withResolvers<T>(): {
      promise: Promise<T>;
      resolve: (value: T | PromiseLike<T>) => void;
      reject: (reason?: unknown) => void;
    } {
      let resolve!: (value: T | PromiseLike<T>) => void;
      let reject!: (reason?: unknown) => void;
      const promise = new Promise<T>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      return { promise, resolve, reject };
    },
  });
}

export {};
