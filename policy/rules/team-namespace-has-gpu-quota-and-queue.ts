import type { StackValidationPolicy } from "@pulumi/policy";
import { admissionModeSchema, asRecord, metadataOf, propsOf, teamLabel } from "../support";

export const teamNamespaceHasGpuQuotaAndQueue: StackValidationPolicy = {
  name: "team-namespace-has-gpu-quota-and-queue",
  description: "Every team namespace has a ResourceQuota that caps requests.nvidia.com/gpu and, where Kueue runs, a LocalQueue.",
  enforcementLevel: "mandatory",
  // Its admission twin (policy/admission.ts) denies or only warns, per environment.
  configSchema: { properties: { ...admissionModeSchema } },
  validateStack: (args, reportViolation) => {
    const ofKind = (type: string) => args.resources.filter((r) => r.type === type);
    const kueueInstalled = args.resources.some((r) => r.type.startsWith("kubernetes:kueue.x-k8s.io/"));
    for (const namespace of ofKind("kubernetes:core/v1:Namespace")) {
      const { name, labels } = metadataOf(namespace);
      if (!name || labels[teamLabel] === undefined) continue;
      const capsGpus = ofKind("kubernetes:core/v1:ResourceQuota").some((quota) => {
        return metadataOf(quota).namespace === name && asRecord(asRecord(propsOf(quota).spec).hard)["requests.nvidia.com/gpu"] !== undefined;
      });
      if (!capsGpus) reportViolation(`Team namespace "${name}" has no ResourceQuota on requests.nvidia.com/gpu, so its pods could take every GPU; give the team a quota under teams[].gpus.`, namespace.urn);
      const hasQueue = ofKind("kubernetes:kueue.x-k8s.io/v1beta2:LocalQueue").some((queue) => metadataOf(queue).namespace === name);
      if (kueueInstalled && !hasQueue) reportViolation(`Team namespace "${name}" has no Kueue LocalQueue, so its jobs bypass GPU admission; the platform creates one per team.`, namespace.urn);
    }
  },
};
