import type { ResourceValidationPolicy } from "@pulumi/policy";
import { kubernetesVersions } from "../../stacks/kubernetes-versions";
import { propsOf } from "../support";

const versionFields: Record<string, string> = {
  "eks:index:Cluster": "version",
  "gcp:container/cluster:Cluster": "minMasterVersion",
  "azure-native:containerservice:ManagedCluster": "kubernetesVersion",
};

export const kubernetesVersionSupported: ResourceValidationPolicy = {
  name: "kubernetes-version-supported",
  description: "Clusters run a Kubernetes minor version inside the supported window (stacks/kubernetes-versions.ts).",
  enforcementLevel: "mandatory",
  validateResource: (args, reportViolation) => {
    const field = versionFields[args.type];
    if (!field) return;
    const version = String(propsOf(args)[field] ?? "");
    const minor = version.split(".").slice(0, 2).join(".");
    if (!(kubernetesVersions as readonly string[]).includes(minor)) {
      reportViolation(`Cluster "${args.name}" runs Kubernetes ${version || "(unset)"}, outside the supported window ${kubernetesVersions.join(", ")}; upgrade one minor version at a time.`);
    }
  },
};
