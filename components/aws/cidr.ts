/** Subnet layout for a VPC the platform creates: pure arithmetic, tested on its own. */
import { subnetOf } from "../../lib/ipv4";

export { subnetOf };

export interface SubnetLayout {
  /** Large blocks for nodes and pods (the VPC CNI gives pods VPC addresses). */
  readonly private: readonly string[];
  /** Small blocks for NAT gateways only; no node runs there. */
  readonly public: readonly string[];
}

/** The most zones a stack may use (network.availabilityZones); the layout is cut for this many. */
export const maxZones = 6;

/**
 * Splits the VPC into one private and one public subnet per zone. The blocks are cut as if for the
 * most zones a stack may use, so zone i's subnets are the same whatever the count: adding a zone
 * adds subnets, removing one removes its own, and none is re-created over another's range. Private
 * subnets take equal blocks from the front (an eighth of the VPC each); the public ones share the
 * next block, so they stay small.
 */
export function layoutSubnets(vpcCidr: string, zones: number, layout: "sixZones" | "byZoneCount" = "sixZones"): SubnetLayout {
  if (zones > maxZones) throw new Error(`at most ${maxZones} zones fit the subnet layout`);
  // byZoneCount: the earlier cut, sized for the stack's own zone count (kept for stacks built with it).
  const cutFor = layout === "sixZones" ? maxZones : zones;
  const prefix = Number(vpcCidr.split("/")[1]);
  const privatePrefix = prefix + Math.ceil(Math.log2(cutFor + 1));
  const publicBlock = subnetOf(vpcCidr, privatePrefix, cutFor);
  const publicPrefix = privatePrefix + Math.ceil(Math.log2(cutFor));
  return {
    private: Array.from({ length: zones }, (_, i) => subnetOf(vpcCidr, privatePrefix, i)),
    public: Array.from({ length: zones }, (_, i) => subnetOf(publicBlock, publicPrefix, i)),
  };
}
