import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { listStacks } from "../../plan/stack-files";
import { plan } from "../helpers/plan";
import { chartDefaults, customResourceProblems, isBuiltIn, referenceRoot, unknownValueKeys } from "../helpers/reference";

const root = path.resolve(__dirname, "../..");

/**
 * Charts whose default values are not in the reference set. Each was checked by hand against the
 * upstream tag named in components/versions.ts; anything else without a reference fails.
 */
const checkedByHand = new Set([
  "kserve-runtime-configs",
  // envoyproxy/gateway v1.8.1 charts/gateway-crds-helm/values.yaml: crds.gatewayAPI.{enabled,channel}, crds.envoyGateway.enabled.
  "gateway-crds-helm",
]);

/**
 * Custom resources of kinds whose CRDs the reference set does not hold, each read at its source.
 * cert-manager v1.21.1 deploy/crds/cert-manager.io_{issuers,certificates}.yaml: Issuer spec.ca.secretName;
 * Certificate spec.secretName, dnsNames, issuerRef{kind,name,group}, privateKey{algorithm,size,rotationPolicy},
 * duration, renewBefore. `npm run render` validates them against the CRDs the cert-manager chart renders.
 */
const kindsCheckedAtTheirSource = new Set(["cert-manager.io/v1/Issuer", "cert-manager.io/v1/Certificate"]);

/** Values files the reference set holds beside a chart's defaults: the platform's values follow them too. */
const referenceOverlays: Record<string, string[]> = {
  // The settings the AI Gateway needs in Envoy Gateway's configuration.
  "gateway-helm": ["values.ai-gateway-v1.1.0.yaml"],
};

/**
 * Keys the reference values.yaml cannot vouch for, each read at its source: subcharts whose values
 * are not in the reference set, and maps a chart renders verbatim as a Kubernetes field (checked
 * with `npm run render` against the assembled charts).
 */
const checkedAtTheirSource: Record<string, Record<string, string>> = {
  "kserve-resources": {
    "kserve.storage.containerSecurityContext.seccompProfile": "kserve v0.20.0 charts/kserve-resources: rendered with toYaml as the storage initializer's securityContext",
  },
  "gpu-operator": {
    "node-feature-discovery.master.nodeSelector": "kubernetes-sigs/node-feature-discovery v0.19.0 deployment/helm/node-feature-discovery/values.yaml master.nodeSelector (bundled in gpu-operator v26.7.0 charts/)",
    "node-feature-discovery.gc.nodeSelector": "same chart, gc.nodeSelector",
  },
  "gateway-helm": {
    crds: "envoyproxy/gateway v1.8.1 charts/gateway-helm/charts/crds/values.yaml gatewayAPI.safeUpgradePolicy.enabled (the bundled crds subchart)",
    "config.envoyGateway.provider.kubernetes": "envoyproxy/gateway v1.8.1 api/v1alpha1/envoygateway_types.go EnvoyGatewayKubernetesProvider.rateLimitDeployment (the chart renders config.envoyGateway verbatim as the controller's configuration)",
    "config.envoyGateway.rateLimit": "same file, EnvoyGateway.rateLimit.backend{type: Redis, redis.url}",
  },
  "kube-prometheus-stack": {
    "grafana.nodeSelector": "grafana-community/helm-charts grafana-12.11.1 charts/grafana/values.yaml nodeSelector",
    "grafana.resources": "same chart, resources",
    "grafana.sidecar.resources": "same chart, sidecar.resources",
    "grafana.testFramework": "same chart, testFramework.enabled",
    "kube-state-metrics.nodeSelector": "prometheus-community/helm-charts kube-state-metrics-8.4.0 values.yaml nodeSelector",
    "kube-state-metrics.resources": "same chart, resources",
    "kube-state-metrics.metricLabelsAllowlist": "same chart, metricLabelsAllowlist (list of resource=[labels], passed as --metric-labels-allowlist)",
  },
};

/** Which reference chart a release's chart reference points at. */
function referenceChart(chart: string): string | undefined {
  const name = chart.split("/").pop()!;
  return fs.existsSync(path.join(referenceRoot, "charts", name, "values.yaml")) ? name : undefined;
}

describe("reference data at the pinned versions", () => {
  it("has the reference folder beside the project", () => {
    assert.ok(fs.existsSync(path.join(referenceRoot, "crds")), `missing ${referenceRoot}`);
  });

  describe("the checkers themselves", () => {
    it("reject a misspelt NodePool field", () => {
      const problems = customResourceProblems({ apiVersion: "karpenter.sh/v1", kind: "NodePool", metadata: { name: "x" }, spec: { template: { spec: { nodeClassRef: { group: "karpenter.k8s.aws", kind: "EC2NodeClass", name: "gpu" }, requirements: [], taint: [] } } } });
      assert.ok(problems.some((p) => p.includes("(taint)")), problems.join("; "));
    });

    it("reject a Helm value the chart does not have", () => {
      assert.deepEqual(unknownValueKeys({ settings: { clusterNmae: "x" }, nodeSelector: { "any/label": "y" } }, chartDefaults("karpenter")), ["settings.clusterNmae"]);
    });
  });

  /** Every stack as written, plus dev with the optional features no stack switches on. */
  const cases: { title: string; stack: string; overrides: Record<string, unknown> }[] = [
    ...listStacks(root).map((stack) => ({ title: `stack ${stack}`, stack, overrides: {} })),
    {
      title: "stack dev with GitOps, every serving runtime and MIG",
      stack: "dev",
      overrides: {
        "gpu-platform:addons": {
          kserve: { runtimes: ["vllm", "huggingface"] },
          argocd: { gitops: { repoURL: "https://git.example.com/ml/serving.git", path: "apps", revision: "main" } },
        },
        "gpu-platform:gpuPools": [
          { name: "l4", gpu: "L4", instanceTypes: ["g6.xlarge"], maxGpus: 8, sharing: { mode: "time-slicing", replicas: 2 } },
          { name: "a100", gpu: "A100", maxGpus: 16, baselineNodes: 1, sharing: { mode: "mig", profile: "all-1g.5gb" } },
        ],
      },
    },
    {
      title: "stack eu-prod with fast image pulls",
      stack: "eu-prod",
      overrides: { "gpu-platform:coldStart": { fastImagePull: true } },
    },
    {
      title: "stack aks-eu with fast image pulls",
      stack: "aks-eu",
      overrides: { "gpu-platform:coldStart": { fastImagePull: true } },
    },
    {
      title: "stack dev on Bottlerocket, with an image disk",
      stack: "dev",
      overrides: {
        "gpu-platform:eks": { gpuNodeImage: "bottlerocket" },
        "gpu-platform:coldStart": { imageDisk: "snap-0123456789abcdef0" },
        "gpu-platform:gpuPools": [{ name: "l4", gpu: "L4", maxGpus: 8, baselineNodes: 1 }],
      },
    },
  ];

  for (const { title, stack, overrides } of cases) {
    describe(title, () => {
      it("writes only custom resources that validate against the reference CRDs", async () => {
        const p = await plan(stack, overrides);
        const custom = p.resources.filter((r) => r.type.startsWith("kubernetes:") && typeof r.inputs.apiVersion === "string" && !isBuiltIn(r.inputs.apiVersion));
        assert.ok(custom.length > 0);
        for (const resource of custom) {
          if (kindsCheckedAtTheirSource.has(`${String(resource.inputs.apiVersion)}/${String(resource.inputs.kind)}`)) continue;
          const problems = customResourceProblems(resource.inputs as { apiVersion: string; kind: string });
          assert.deepEqual(problems, [], `${resource.type} ${resource.name}`);
        }
      });

      it("sets only Helm values that exist in each chart at its pinned version", async () => {
        const releases = (await plan(stack, overrides)).resources.filter((r) => r.type === "kubernetes:helm.sh/v3:Release");
        for (const release of releases) {
          const chart = referenceChart(String(release.inputs.chart));
          const values = (release.inputs.values ?? {}) as Record<string, unknown>;
          if (!chart && Object.keys(values).length === 0) continue;
          if (!chart) {
            assert.ok(checkedByHand.has(String(release.inputs.chart).split("/").pop()!), `${release.name}: no reference values for ${release.inputs.chart}`);
            continue;
          }
          const unknown = unknownValueKeys(values, chartDefaults(chart, referenceOverlays[chart])).filter((key) => !(key in (checkedAtTheirSource[chart] ?? {})));
          assert.deepEqual(unknown, [], `${release.name} (${chart})`);
        }
      });
    });
  }
});
