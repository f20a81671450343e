/**
 * Every add-on the platform installs, as data. Values keys are checked against each chart's
 * values.yaml at the pinned version (test/reference). Dependencies are typed references, and
 * the order of this list is an order that satisfies them.
 */
import { roleLabel } from "../cluster/contract";
import { charts, images } from "../versions";
import { Addon, AddonContext, podSecurity } from "./addon";
import { gpuOperatorValues } from "./gpu-operator";

/** Controllers run on the untainted system nodes, never on GPU nodes. */
export const onSystemNodes = { [roleLabel]: "system" };

export const certManager: Addon = {
  id: "certManager",
  release: "cert-manager",
  chart: charts.certManager,
  namespace: "cert-manager",
  after: [],
  values: () => ({
    crds: { enabled: true, keep: true },
    nodeSelector: onSystemNodes,
    webhook: { nodeSelector: onSystemNodes },
    cainjector: { nodeSelector: onSystemNodes },
  }),
};

export const gpuOperator: Addon = {
  id: "gpuOperator",
  release: "gpu-operator",
  chart: charts.gpuOperator,
  namespace: "gpu-operator",
  // Its daemonsets load kernel modules and mount host paths; no other namespace is privileged.
  namespaceLabels: podSecurity("privileged"),
  after: [],
  values: (ctx: AddonContext) => gpuOperatorValues(ctx),
};

export const kueue: Addon = {
  id: "kueue",
  release: "kueue",
  chart: charts.kueue,
  namespace: "kueue-system",
  after: [],
  values: () => ({
    controllerManager: {
      manager: { image: { ...images.kueue, pullPolicy: "IfNotPresent" } },
      nodeSelector: onSystemNodes,
    },
  }),
};

export const kserveCrd: Addon = {
  id: "kserve",
  release: "kserve-crd",
  chart: charts.kserveCrd,
  namespace: "kserve",
  after: [certManager],
  values: () => ({}),
};

export const kserve: Addon = {
  id: "kserve",
  release: "kserve",
  chart: charts.kserve,
  namespace: "kserve",
  after: [certManager, kserveCrd],
  values: () => ({
    kserve: {
      controller: {
        // Plain Deployments and Services: no Knative or Istio to run and patch.
        deploymentMode: "Standard",
        // No ingress objects: nothing is exposed outside the cluster unless a team asks for it.
        gateway: { disableIngressCreation: true },
        nodeSelector: onSystemNodes,
      },
    },
  }),
};

export const addonCatalog: readonly Addon[] = [certManager, gpuOperator, kueue, kserveCrd, kserve];
