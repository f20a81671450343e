import * as network from "@pulumi/azure-native/network";
import * as pulumi from "@pulumi/pulumi";
import { subnetOf } from "../../lib/ipv4";

/**
 * Address plan of an AKS cluster with Azure CNI Overlay. Only nodes take VNet addresses; pods and
 * services come from fixed ranges in RFC 6598 shared space (100.64.0.0/10), which AKS supports for
 * the pod CIDR and which no RFC 1918 VNet, peering or on-premises range uses. Both are fixed
 * because AKS cannot change them after creation (pods can only grow into a superset).
 */
export const overlayRanges = {
  /** A /24 per node: 1,024 nodes. Expandable in place to 100.64.0.0/13 without reaching services. */
  podCidr: "100.64.0.0/14",
  /** Cluster IPs; AKS needs it smaller than a /12 and apart from pods and the VNet. */
  serviceCidr: "100.72.0.0/16",
  /** CoreDNS: inside the service range, not its first address (the API server's). */
  dnsServiceIP: "100.72.0.10",
} as const;

/**
 * The node subnet: the lower half of the VNet. The upper half stays free for subnets added later
 * (API server VNet integration, private endpoints) without renumbering the nodes.
 */
export function nodeSubnetCidr(vnetCidr: string): string {
  return subnetOf(vnetCidr, Number(vnetCidr.split("/")[1]) + 1, 0);
}

export interface AksNetworkArgs {
  readonly clusterName: string;
  readonly resourceGroupName: pulumi.Input<string>;
  readonly location: string;
  readonly vnetCidr: string;
  readonly tags: Readonly<Record<string, string>>;
}

/** A VNet with one node subnet, shared by the system pool, baseline GPU pools and NAP's nodes. */
export class AksNetwork extends pulumi.ComponentResource {
  readonly vnetId: pulumi.Output<string>;
  readonly subnetId: pulumi.Output<string>;

  constructor(name: string, args: AksNetworkArgs, opts: pulumi.ComponentResourceOptions = {}) {
    super("gpu-platform:azure:Network", name, {}, opts);
    const vnet = new network.VirtualNetwork(`${name}-vnet`, {
      virtualNetworkName: `${args.clusterName}-vnet`,
      resourceGroupName: args.resourceGroupName,
      location: args.location,
      addressSpace: { addressPrefixes: [args.vnetCidr] },
      tags: { ...args.tags },
    }, { parent: this });
    // A subnet of its own, not inline: the VNet can then change (tags, peerings) without touching it.
    const subnet = new network.Subnet(`${name}-nodes`, {
      subnetName: "nodes",
      virtualNetworkName: vnet.name,
      resourceGroupName: args.resourceGroupName,
      addressPrefix: nodeSubnetCidr(args.vnetCidr),
      // A private subnet: nodes leave only through the cluster's load balancer outbound rules.
      defaultOutboundAccess: false,
    }, { parent: this });
    this.vnetId = vnet.id;
    this.subnetId = subnet.id;
    this.registerOutputs({ vnetId: this.vnetId, subnetId: this.subnetId });
  }
}
