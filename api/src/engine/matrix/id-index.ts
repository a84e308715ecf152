/**
 * Dense dictionary from external ids (profile UUIDs, movie ids, CSV strings) to int32 rows,
 * in order of first appearance. Numbers are keyed by their decimal string so that "42" and 42
 * name the same title.
 */
export class IdIndex {
  private readonly byId = new Map<string, number>();
  private readonly ids: string[] = [];

  static from(ids: Iterable<string | number>): IdIndex {
    const index = new IdIndex();
    for (const id of ids) index.add(id);
    return index;
  }

  get size(): number {
    return this.ids.length;
  }

  /** Returns the id's index, adding it if new. */
  add(id: string | number): number {
    const key = String(id);
    const known = this.byId.get(key);
    if (known !== undefined) return known;
    const index = this.ids.length;
    this.byId.set(key, index);
    this.ids.push(key);
    return index;
  }

  /** The id's index, or -1 when unknown. */
  indexOf(id: string | number): number {
    return this.byId.get(String(id)) ?? -1;
  }

  idAt(index: number): string {
    const id = this.ids[index];
    if (id === undefined) throw new RangeError(`no id at index ${index} (size ${this.ids.length})`);
    return id;
  }

  toArray(): readonly string[] {
    return this.ids;
  }
}
