// Model aliases, the one home of their rules: a name that stands for another model, in chains of
// at most three hops. Config validation rejects bad tables; routing resolves names through them.

/** Longest alias chain allowed (`a -> b -> c -> model` is three hops). */
export const MAX_ALIAS_HOPS = 3;

/** What is wrong with an alias table: the alias where the problem shows and the problem. */
export interface AliasProblem {
  alias: string;
  problem: string;
}

/** Finds a cycle or an over-long chain in an alias table; null when the table is sound. */
export function findAliasProblem(aliases: Readonly<Record<string, string>>): AliasProblem | null {
  for (const start of Object.keys(aliases).sort()) {
    const seen = [start];
    let current = aliases[start];
    while (current !== undefined && Object.hasOwn(aliases, current)) {
      if (seen.includes(current)) return { alias: start, problem: `alias cycle ${[...seen, current].join(' -> ')}` };
      seen.push(current);
      current = aliases[current];
    }
    if (seen.length > MAX_ALIAS_HOPS) {
      return { alias: start, problem: `alias chain ${[...seen, current].join(' -> ')} is longer than ${MAX_ALIAS_HOPS} hops` };
    }
  }
  return null;
}

/** Resolves a requested model through the (validated, acyclic) alias table. */
export function resolveAlias(aliases: Readonly<Record<string, string>>, model: string): string {
  let current = model;
  for (let hop = 0; hop < MAX_ALIAS_HOPS && Object.hasOwn(aliases, current); hop++) current = aliases[current] as string;
  return current;
}
