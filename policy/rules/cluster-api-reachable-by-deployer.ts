import type { StackValidationPolicy } from "@pulumi/policy";
import { apiReach } from "../api-access";

export const clusterApiReachableByDeployer: StackValidationPolicy = {
  name: "cluster-api-reachable-by-deployer",
  description: "pulumi up has a way to the cluster's Kubernetes API from outside the network the stack creates, and is cluster admin when it gets there.",
  enforcementLevel: "mandatory",
  validateStack: (args, reportViolation) => {
    const reach = apiReach(args.resources);
    if (!reach) return;
    if (reach.paths.length === 0) {
      reportViolation(`The ${reach.cloud} cluster's API is private inside a network this stack creates, so pulumi up (and every Helm release it applies) cannot reach it from anywhere; ${reach.remedy}.`, reach.urn);
    }
    if (reach.deployerAdmin === undefined) {
      reportViolation(`Nothing makes the identity running pulumi up an admin of the ${reach.cloud} cluster, so it could not install the add-ons; the platform grants it (EKS access entries with API authentication, an AKS RBAC Cluster Admin assignment).`, reach.urn);
    }
  },
};
