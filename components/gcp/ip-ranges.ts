/**
 * Secondary ranges of the GKE subnetwork: pure arithmetic, tested on its own.
 *
 * A VPC-native cluster gives pods and Services addresses from two secondary ranges of the nodes'
 * subnetwork. They are fixed blocks rather than carved from `network.vpcCidr`, so the VPC can stay
 * as small as /22 and still hold 1,024 nodes' pods. Each range is the first candidate that overlaps
 * neither the VPC nor the control plane's /28 (nor, for Services, the pods' range): with the
 * defaults, pods get 10.96.0.0/14 and Services 10.100.0.0/20. The choice depends only on those
 * settings, so it never moves between two runs; changing them replaces the subnetwork and cluster.
 */
import { cidrsOverlap } from "../../lib/ipv4";

/** Pods: a /14 gives 1,024 nodes a /24 each (GKE's block for 110 pods per node). */
export const podRangeCandidates = ["10.96.0.0/14", "10.192.0.0/14", "172.20.0.0/14"] as const;
/** Services: a /20 holds 4,096 ClusterIPs. */
export const serviceRangeCandidates = ["10.100.0.0/20", "10.196.0.0/20", "172.24.0.0/20"] as const;

export interface SecondaryRanges {
  readonly pods: string;
  readonly services: string;
}

/** Whether two IPv4 CIDR blocks share any address. */
export const overlaps = cidrsOverlap;

function firstFree(candidates: readonly string[], taken: readonly string[], what: string): string {
  const free = candidates.find((candidate) => taken.every((used) => !overlaps(candidate, used)));
  if (free === undefined) throw new Error(`no ${what} range is free: ${candidates.join(", ")} all overlap ${taken.join(" or ")}; choose another network.vpcCidr`);
  return free;
}

/** Pod and Service ranges that do not overlap the VPC or each other. */
export function secondaryRanges(vpcCidr: string): SecondaryRanges {
  const pods = firstFree(podRangeCandidates, [vpcCidr], "pod");
  const services = firstFree(serviceRangeCandidates, [vpcCidr, pods], "Service");
  return { pods, services };
}
