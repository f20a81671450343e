import type { Cloud } from "../../stacks/schema";
import { buildEksCluster } from "../aws/eks-cluster";
import { buildAksCluster } from "../azure/aks-cluster";
import { buildExistingCluster } from "../existing/existing-cluster";
import { buildGkeCluster } from "../gcp/gke-cluster";
import type { ClusterBuilder } from "./contract";

/** One implementation of the cluster contract per kind of cluster; the compiler checks none is missing. */
export const clusterBuilders: Record<Cloud, ClusterBuilder> = {
  aws: buildEksCluster,
  gcp: buildGkeCluster,
  azure: buildAksCluster,
  existing: buildExistingCluster,
};
