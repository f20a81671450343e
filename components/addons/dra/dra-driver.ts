import { allocationLabel } from "../../cluster/contract";
import type { AddonContext } from "../addon";
import { requests } from "../requests";

/**
 * dra-driver-nvidia-gpu v0.4.1 values: GPU allocation only (ComputeDomains, for multi-node NVLink,
 * off, which also leaves out the controller), its kubelet plugin only on DRA pools' nodes, where
 * the GPU Operator's device plugin does not run (the chart refuses GPUs without the override,
 * because the two must never share a node), reading the driver where each cloud keeps it.
 */
export function draDriverValues(ctx: AddonContext) {
  return {
    nvidiaDriverRoot: ctx.cluster.gpuNodeSoftware.draDriverRoot,
    gpuResourcesEnabledOverride: true,
    resources: { gpus: { enabled: true }, computeDomains: { enabled: false } },
    kubeletPlugin: {
      // Beside the chart's own affinity (an NVIDIA PCI device present) and GPU-taint toleration.
      nodeSelector: { [allocationLabel]: "dra" },
      // The init container takes no resources value (templates/kubeletplugin.yaml at v0.4.1).
      containers: { gpus: { resources: requests("20m", "64Mi") } },
    },
  };
}
