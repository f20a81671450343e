import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { DraOffer } from "./offers";

export interface DraDevicesArgs {
  readonly offers: readonly DraOffer[];
  readonly provider: k8s.Provider;
  /** The DRA driver release: its DeviceClasses and ResourceSlices come with it. */
  readonly driver: pulumi.Resource;
  /** The GPU Operator's namespace, where DCGM exporter runs. */
  readonly gpuOperatorNamespace: string;
}

/** The ServiceAccount the GPU Operator v26.7.0 gives DCGM exporter (assets/state-dcgm-exporter). */
const dcgmServiceAccount = "nvidia-dcgm-exporter";

/**
 * The platform's DeviceClasses (MIG profiles, memory floors; whole GPUs use the driver's own), and
 * what DCGM exporter needs to name the pod behind each DRA-allocated GPU: it reads the driver's
 * ResourceSlices, which the operator's own role for it (pods only) does not allow.
 */
export class DraDevices extends pulumi.ComponentResource {
  readonly deviceClasses: pulumi.Resource[];

  constructor(name: string, args: DraDevicesArgs, opts: pulumi.ComponentResourceOptions = {}) {
    super("gpu-platform:addons:DraDevices", name, {}, opts);
    const after = { parent: this, provider: args.provider, dependsOn: [args.driver] };
    this.deviceClasses = args.offers.filter((offer) => offer.selector).map((offer) => new k8s.resource.v1.DeviceClass(`${name}-${offer.template}`, {
      metadata: { name: offer.deviceClass },
      spec: { selectors: [{ cel: { expression: offer.selector! } }] },
    }, after));

    const role = new k8s.rbac.v1.ClusterRole(`${name}-dcgm`, {
      metadata: { name: "gpu-platform:dcgm-exporter:resourceslices" },
      rules: [{ apiGroups: ["resource.k8s.io"], resources: ["resourceslices"], verbs: ["get", "list", "watch"] }],
    }, after);
    new k8s.rbac.v1.ClusterRoleBinding(`${name}-dcgm`, {
      metadata: { name: "gpu-platform:dcgm-exporter:resourceslices" },
      subjects: [{ kind: "ServiceAccount", name: dcgmServiceAccount, namespace: args.gpuOperatorNamespace }],
      roleRef: { kind: "ClusterRole", name: "gpu-platform:dcgm-exporter:resourceslices", apiGroup: "rbac.authorization.k8s.io" },
    }, { ...after, dependsOn: [args.driver, role] });
    this.registerOutputs({});
  }
}
