/**
 * The answer to "load many by ids" (DataLoader batches): one entry per id asked, in the
 * order asked, null where the item is missing or `visible` refuses it, so a missing or
 * hidden row never shifts another's answer.
 */
export function inIdOrder<T extends { readonly id: string }>(
  ids: readonly string[],
  items: readonly T[],
  visible: (item: T) => boolean = () => true,
): (T | null)[] {
  const byId = new Map(items.map((item) => [item.id, item]));
  return ids.map((id) => {
    const item = byId.get(id);
    return item && visible(item) ? item : null;
  });
}
