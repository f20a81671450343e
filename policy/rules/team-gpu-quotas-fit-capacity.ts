import type { StackValidationPolicy } from "@pulumi/policy";
import { flavorAnnotations } from "../../components/addons/kueue-queues";
import { asList, asRecord, metadataOf, propsOf } from "../support";

export interface TeamGpuQuotasConfig {
  /** Allow quotas to add up to more than a pool holds (Kueue then arbitrates). */
  allowOvercommit: boolean;
}

export const teamGpuQuotasFitCapacity: StackValidationPolicy = {
  name: "team-gpu-quotas-fit-capacity",
  description: "On every GPU pool, the teams' nominal Kueue quotas add up to no more than the pool can start, so a granted quota can be honoured.",
  enforcementLevel: "mandatory",
  configSchema: { properties: { allowOvercommit: { type: "boolean", default: false } } },
  validateStack: (args, reportViolation) => {
    if (args.getConfig<TeamGpuQuotasConfig>().allowOvercommit) return;
    const queues = args.resources.filter((r) => r.type.endsWith("kueue.x-k8s.io/v1beta2:ClusterQueue"));
    for (const flavor of args.resources.filter((r) => r.type.endsWith("kueue.x-k8s.io/v1beta2:ResourceFlavor"))) {
      const { name, annotations } = metadataOf(flavor);
      const maxGpus = Number(annotations[flavorAnnotations.maxGpus]);
      const units = Number(annotations[flavorAnnotations.unitsPerGpu] ?? 1);
      if (!name || !Number.isFinite(maxGpus)) continue;
      const shares = queues.map((queue) => {
        const entries = asList(asRecord(propsOf(queue).spec).resourceGroups).flatMap((group) => asList(asRecord(group).flavors)).map(asRecord);
        const gpu = entries.filter((f) => f.name === name).flatMap((f) => asList(f.resources).map(asRecord)).find((r) => r.name === "nvidia.com/gpu");
        return { queue: metadataOf(queue).name ?? queue.name, units: Number(gpu?.nominalQuota ?? 0) };
      }).filter((share) => share.units > 0);
      const granted = shares.reduce((sum, share) => sum + share.units, 0);
      if (granted > maxGpus * units) {
        const who = shares.map((s) => `${s.queue}: ${s.units / units}`).join(", ");
        reportViolation(`Team GPU quotas on ${name} (${who}) add up to ${granted / units} GPUs but the pool can start only ${maxGpus}; lower teams[].gpus, raise the pool's maxGpus, or allow overcommit (allowQuotaOvercommit and this policy's allowOvercommit).`, flavor.urn);
      }
    }
  },
};
