/** Subnet layout for a VPC the platform creates: pure arithmetic, tested on its own. */

function toInt(address: string): number {
  return address.split(".").reduce((acc, octet) => acc * 256 + Number(octet), 0);
}

function toAddress(value: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join(".");
}

/** The `index`-th block of prefix `newPrefix` inside `cidr`. */
export function subnetOf(cidr: string, newPrefix: number, index: number): string {
  const [address, prefixText] = cidr.split("/");
  const prefix = Number(prefixText);
  if (newPrefix < prefix || newPrefix > 28) throw new Error(`cannot carve /${newPrefix} subnets out of ${cidr}`);
  if (index >= 2 ** (newPrefix - prefix)) throw new Error(`${cidr} holds only ${2 ** (newPrefix - prefix)} /${newPrefix} subnets`);
  const base = toInt(address) - (toInt(address) % 2 ** (32 - prefix));
  return `${toAddress(base + index * 2 ** (32 - newPrefix))}/${newPrefix}`;
}

export interface SubnetLayout {
  /** Large blocks for nodes and pods (the VPC CNI gives pods VPC addresses). */
  readonly private: readonly string[];
  /** Small blocks for NAT gateways only; no node runs there. */
  readonly public: readonly string[];
}

/**
 * Splits the VPC into one private and one public subnet per zone. Private subnets take equal
 * blocks from the front; the public ones share the next free block, so they stay small.
 */
export function layoutSubnets(vpcCidr: string, zones: number): SubnetLayout {
  const prefix = Number(vpcCidr.split("/")[1]);
  const privateBits = Math.ceil(Math.log2(zones + 1));
  const privatePrefix = prefix + privateBits;
  const publicBlock = subnetOf(vpcCidr, privatePrefix, zones);
  const publicPrefix = privatePrefix + Math.ceil(Math.log2(zones));
  return {
    private: Array.from({ length: zones }, (_, i) => subnetOf(vpcCidr, privatePrefix, i)),
    public: Array.from({ length: zones }, (_, i) => subnetOf(publicBlock, publicPrefix, i)),
  };
}
