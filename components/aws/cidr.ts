/** Subnet layout for a VPC the platform creates: pure arithmetic, tested on its own. */
import { subnetOf } from "../../lib/ipv4";

export { subnetOf };

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
