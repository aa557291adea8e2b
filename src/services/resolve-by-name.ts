// Finding a volume or an endpoint from what a person typed: exact id, exact name, then a
// case-insensitive name. Ambiguity and absence are clear errors.
import { PodbayError } from './errors.ts';

export function findByRef<T extends { id: string; name: string }>(
  items: readonly T[],
  ref: string,
  what: string,
): T {
  const wanted = ref.trim();
  if (!wanted) throw new PodbayError('INVALID_REQUEST', `Say which ${what}: its name or id.`);
  const lower = wanted.toLowerCase();
  const tiers = [
    items.filter((i) => i.id === wanted),
    items.filter((i) => i.name === wanted),
    items.filter((i) => i.name.toLowerCase() === lower),
  ];
  for (const tier of tiers) {
    const [first, ...rest] = tier;
    if (!first) continue;
    if (!rest.length) return first;
    throw new PodbayError('INVALID_REQUEST', `More than one ${what} is called "${wanted}".`, {
      hint: `Use the id: ${tier.map((i) => `${i.name} (${i.id})`).join(', ')}.`,
    });
  }
  throw new PodbayError('NOT_FOUND', `There is no ${what} "${wanted}".`, {
    hint: `List ${what}s to see names and ids.`,
  });
}
