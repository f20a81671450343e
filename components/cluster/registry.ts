import type { Cloud } from "../../stacks/schema";
import { buildEksCluster } from "../aws/eks-cluster";
import type { ClusterBuilder } from "./contract";

/** One builder per cloud; the compiler proves every cloud the schema accepts has one. */
export const clusterBuilders: Record<Cloud, ClusterBuilder> = {
  aws: buildEksCluster,
};
