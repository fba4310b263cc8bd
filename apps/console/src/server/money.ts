/** Money in the database is integer micro-USD (BigInt); people type and read dollars. */
export function usdToMicros(usd: number): bigint {
  return BigInt(Math.round(usd * 1_000_000));
}

export function microsToUsd(micros: bigint | number): number {
  return Number(micros) / 1_000_000;
}
