// A small seeded PRNG (xoshiro128**) whose whole state is four 32-bit words, so a random walk
// can print where it stands and be resumed exactly. Used for random simulation and to fill the
// fingerprint tables; never Math.random. Not cryptographic.

export class Prng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  /** Seeds from a number (any safe integer) through splitmix32, as xoshiro's authors advise. */
  constructor(seed: number | readonly number[]) {
    if (typeof seed !== 'number') {
      if (seed.length !== 4) throw new Error('a PRNG state is four 32-bit words');
      [this.a, this.b, this.c, this.d] = seed.map((x) => x | 0) as [number, number, number, number];
      if ((this.a | this.b | this.c | this.d) === 0) throw new Error('a PRNG state cannot be all zeros');
      return;
    }
    let s = (seed | 0) ^ Math.floor(seed / 2 ** 32);
    const next = (): number => {
      s = (s + 0x9e3779b9) | 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) | 0;
    };
    this.a = next();
    this.b = next();
    this.c = next();
    this.d = next();
    if ((this.a | this.b | this.c | this.d) === 0) this.d = 1;
  }

  /** The next 32 random bits, as a signed int32. */
  nextInt32(): number {
    const r = Math.imul(rotl(Math.imul(this.b, 5), 7), 9);
    const t = this.b << 9;
    this.c ^= this.a;
    this.d ^= this.b;
    this.b ^= this.c;
    this.a ^= this.d;
    this.c ^= t;
    this.d = rotl(this.d, 11);
    return r | 0;
  }

  /** A uniform integer in 0..n-1 (n >= 1), without modulo bias. */
  below(n: number): number {
    if (n <= 1) return 0;
    const limit = 2 ** 32 - (2 ** 32 % n);
    for (;;) {
      const x = this.nextInt32() >>> 0;
      if (x < limit) return x % n;
    }
  }

  /** The state, to print and to resume from (`new Prng(state)`). */
  get state(): [number, number, number, number] {
    return [this.a >>> 0, this.b >>> 0, this.c >>> 0, this.d >>> 0];
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
