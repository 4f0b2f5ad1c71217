import { formatLsn, parseLsn, pruneSamples, replicaLagMs } from "./consistency-token";

describe("parseLsn / formatLsn", () => {
  it.each([
    ["0/0", 0n],
    ["0/16B3748", 0x16b3748n],
    ["16/B374D848", (0x16n << 32n) | 0xb374d848n],
    ["ffffffff/FFFFFFFF", 0xffffffffffffffffn],
    [" 1/0 ", 1n << 32n],
  ])("%s is %s", (text, value) => {
    expect(parseLsn(text)).toBe(value);
  });

  it.each(["", "16", "16/", "/1", "1/2/3", "G/1", "123456789/0", "0x1/0", "-1/0"])("%j is no LSN", (text) => {
    expect(parseLsn(text)).toBeUndefined();
  });

  it("prints what PostgreSQL prints and reads it back", () => {
    expect(formatLsn((0x16n << 32n) | 0xb374d848n)).toBe("16/B374D848");
    expect(formatLsn(0x16b3748n)).toBe("0/16B3748");
    expect(parseLsn(formatLsn(0xabcdef0123n))).toBe(0xabcdef0123n);
  });

  it("orders positions across the 32-bit boundary", () => {
    expect(parseLsn("1/0")! > parseLsn("0/FFFFFFFF")!).toBe(true);
  });
});

describe("replicaLagMs", () => {
  const samples = [
    { at: 1000, lsn: 100n },
    { at: 2000, lsn: 200n },
    { at: 3000, lsn: 300n },
  ];
  it.each([
    ["has replayed everything", 300n, 3500, 0],
    ["is ahead of the last sample", 350n, 3500, 0],
    ["misses only the latest", 250n, 3500, 500],
    ["misses two samples", 150n, 3500, 1500],
    ["misses all", 50n, 3500, 2500],
  ])("a replica that %s", (_what, replayed, now, lag) => {
    expect(replicaLagMs(samples, replayed, now)).toBe(lag);
  });

  it("is 0 without samples (nothing known to be missing)", () => {
    expect(replicaLagMs([], 0n, 5000)).toBe(0);
  });
});

describe("pruneSamples", () => {
  it("keeps the samples inside the window", () => {
    const samples = [
      { at: 1000, lsn: 1n },
      { at: 5000, lsn: 2n },
      { at: 9000, lsn: 3n },
    ];
    expect(pruneSamples(samples, 10_000, 6000)).toEqual(samples.slice(1));
  });
  it("always keeps the latest", () => {
    expect(pruneSamples([{ at: 1000, lsn: 1n }, { at: 2000, lsn: 2n }], 60_000, 1000)).toEqual([{ at: 2000, lsn: 2n }]);
  });
});
