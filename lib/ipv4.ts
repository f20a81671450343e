/** IPv4 CIDR arithmetic shared by the stack checks and every cloud's network layout. */

function toInt(address: string): number {
  return address.split(".").reduce((acc, octet) => acc * 256 + Number(octet), 0);
}

function toAddress(value: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join(".");
}

/** First and last address of a block, as numbers. */
function bounds(cidr: string): [number, number] {
  const [address, prefix] = cidr.split("/");
  const size = 2 ** (32 - Number(prefix));
  const first = toInt(address) - (toInt(address) % size);
  return [first, first + size - 1];
}

/** Whether two IPv4 CIDR blocks share any address. */
export function cidrsOverlap(a: string, b: string): boolean {
  const [aFirst, aLast] = bounds(a);
  const [bFirst, bLast] = bounds(b);
  return aFirst <= bLast && bFirst <= aLast;
}

/** The `index`-th block of prefix `newPrefix` inside `cidr`. */
export function subnetOf(cidr: string, newPrefix: number, index: number): string {
  const prefix = Number(cidr.split("/")[1]);
  if (newPrefix < prefix || newPrefix > 28) throw new Error(`cannot carve /${newPrefix} subnets out of ${cidr}`);
  if (index >= 2 ** (newPrefix - prefix)) throw new Error(`${cidr} holds only ${2 ** (newPrefix - prefix)} /${newPrefix} subnets`);
  return `${toAddress(bounds(cidr)[0] + index * 2 ** (32 - newPrefix))}/${newPrefix}`;
}
