// The simulator's single state tree and its persistence: one JSON file under the data dir,
// written debounced after changes and on close (atomically, via rename), plus image bytes.
import { mkdirSync, readFileSync, existsSync } from "node:fs";
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { RegionState, SimState } from "./model";

const SAVE_DEBOUNCE_MS = 200;

export class Store {
  private timer: NodeJS.Timeout | null = null;
  private writing: Promise<void> = Promise.resolve();

  private constructor(
    public state: SimState,
    private readonly file: string | null,
  ) {}

  /** Loads `<dataDir>/state.json` when present, otherwise starts from `seed()`. */
  static open(dataDir: string | null, seed: () => SimState): { store: Store; loaded: boolean } {
    if (dataDir === null) return { store: new Store(seed(), null), loaded: false };
    mkdirSync(dataDir, { recursive: true });
    const file = join(dataDir, "state.json");
    if (existsSync(file)) {
      const parsed = JSON.parse(readFileSync(file, "utf8")) as SimState;
      if (parsed.version === 1) return { store: new Store(parsed, file), loaded: true };
    }
    const store = new Store(seed(), file);
    store.changed();
    return { store, loaded: false };
  }

  region(name: string): RegionState {
    const region = this.state.regions[name];
    if (!region) throw new Error(`unknown region ${name}`);
    return region;
  }

  /** Monotonic counters, e.g. for Nova's instance-0000000a names. */
  next(counter: string): number {
    const value = (this.state.counters[counter] ?? 0) + 1;
    this.state.counters[counter] = value;
    return value;
  }

  replace(state: SimState): void {
    this.state = state;
    this.changed();
  }

  /** Marks the state dirty; the file is rewritten shortly after the last change. */
  changed(): void {
    if (this.file === null || this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.save();
    }, SAVE_DEBOUNCE_MS);
    this.timer.unref();
  }

  async flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    await this.save();
  }

  private save(): Promise<void> {
    const file = this.file;
    if (file === null) return Promise.resolve();
    // Serialise now so the snapshot is consistent; chain writes so they never interleave.
    const text = JSON.stringify(this.state);
    this.writing = this.writing.then(async () => {
      const tmp = `${file}.${process.pid}.tmp`;
      await writeFile(tmp, text);
      await rename(tmp, file);
    });
    return this.writing;
  }
}

const MEMORY_BLOB_LIMIT = 64 * 1024 * 1024;

/** Image bytes: files under `<dataDir>/images/<region>/` or, memory-only, small images in RAM. */
export class BlobStore {
  private readonly memory = new Map<string, Buffer>();

  constructor(private readonly dataDir: string | null) {}

  /** Returns whether the bytes were kept (a large image in memory mode only has its size). */
  async put(region: string, id: string, data: Buffer): Promise<boolean> {
    if (this.dataDir === null) {
      if (data.length > MEMORY_BLOB_LIMIT) return false;
      this.memory.set(`${region}/${id}`, data);
      return true;
    }
    const dir = join(this.dataDir, "images", region);
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, id), data);
    return true;
  }

  async get(region: string, id: string): Promise<Buffer | null> {
    if (this.dataDir === null) return this.memory.get(`${region}/${id}`) ?? null;
    try {
      return await readFile(join(this.dataDir, "images", region, id));
    } catch {
      return null;
    }
  }

  async delete(region: string, id: string): Promise<void> {
    if (this.dataDir === null) {
      this.memory.delete(`${region}/${id}`);
      return;
    }
    await rm(join(this.dataDir, "images", region, id), { force: true });
  }

  async clear(): Promise<void> {
    this.memory.clear();
    if (this.dataDir !== null) await rm(join(this.dataDir, "images"), { recursive: true, force: true });
  }
}
