/**
 * The render check on charts the tests write: each finding appears when the rendered chart has the
 * fault and disappears when it does not, through the real helm binary the project ships.
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { stringify } from "yaml";
import type { Plan, PlannedResource } from "../../../plan/program";
import { triage } from "../../../plan/render/accepted";
import { Finding } from "../../../plan/render/checks";
import { renderStack } from "../../../plan/render/render-stack";
import { plan } from "../../helpers/plan";

const releaseType = "kubernetes:helm.sh/v3:Release";

/** A chart whose every fault is a value, so one chart serves the compliant case and each fault. */
function writeChart(mirror: string, name: string, version: string, templates: Record<string, string>): void {
  const dir = path.join(mirror, `${name}-${version}`);
  fs.mkdirSync(path.join(dir, "templates"), { recursive: true });
  fs.writeFileSync(path.join(dir, "Chart.yaml"), stringify({ apiVersion: "v2", name, version, appVersion: version }));
  fs.writeFileSync(path.join(dir, "values.yaml"), "{}\n");
  for (const [file, text] of Object.entries(templates)) fs.writeFileSync(path.join(dir, "templates", file), text);
}

const workload = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .Release.Name }}-controller
spec:
  selector:
    matchLabels: {app: controller}
  template:
    metadata:
      labels: {app: controller}
    spec:
      {{- with .Values.nodeSelector }}
      nodeSelector: {{ toJson . }}
      {{- end }}
      securityContext: {runAsNonRoot: true, seccompProfile: {type: RuntimeDefault}}
      containers:
        - name: controller
          image: {{ .Values.image | default "registry.example.com/controller:v1.0.0" }}
          securityContext:
            allowPrivilegeEscalation: false
            privileged: {{ .Values.privileged | default false }}
            capabilities: {drop: [ALL]}
          {{- with .Values.resources }}
          resources: {{ toJson . }}
          {{- end }}
---
apiVersion: v1
kind: Service
metadata:
  name: {{ .Release.Name }}-controller
spec:
  selector: {app: {{ .Values.serviceTarget | default "controller" }}}
  ports: [{port: 80}]
---
apiVersion: serving.kserve.io/v1alpha1
kind: ClusterStorageContainer
metadata:
  name: default
spec:
  container:
    name: storage-initializer
    image: registry.example.com/storage-initializer:v0.20.0
    resources: {requests: {cpu: 100m, memory: 100Mi}}
    securityContext: {{ toJson .Values.initializerSecurityContext }}
  supportedUriFormats: [{prefix: "s3://"}]
`;

const compliant = {
  nodeSelector: { "gpu-platform.io/role": "system" },
  resources: { requests: { cpu: "100m", memory: "128Mi" } },
  initializerSecurityContext: { allowPrivilegeEscalation: false, runAsNonRoot: true, capabilities: { drop: ["ALL"] }, seccompProfile: { type: "RuntimeDefault" } },
};

/** The dev stack's plan with its Helm releases replaced by these. */
function withReleases(base: Plan, releases: { name: string; chart: string; version: string; namespace: string; values: unknown }[]): Plan {
  const planned = releases.map((r): PlannedResource => ({
    urn: `urn:pulumi:dev::gpu-platform::${releaseType}::${r.name}`, type: releaseType, name: r.name, custom: true,
    dependencies: [], protect: false, ignoreChanges: [], deleteBeforeReplace: false, inputs: { ...r, chart: r.chart },
  }));
  return { ...base, resources: [...base.resources.filter((r) => r.type !== releaseType), ...planned] };
}

const checksOf = (findings: readonly Finding[]) => findings.map((f) => `${f.check} ${f.object}`).sort();

describe("render check (helm template on charts in a local mirror)", function () {
  this.timeout(120_000);
  let mirror: string;
  let dev: Plan;
  before(async () => {
    mirror = fs.mkdtempSync(path.join(os.tmpdir(), "mirror-"));
    writeChart(mirror, "demo", "1.2.3", { "all.yaml": workload });
    dev = await plan("dev");
  });
  after(() => fs.rmSync(mirror, { recursive: true, force: true }));

  // The dev stack's cert-manager namespace enforces baseline; team namespaces restricted.
  const demo = (values: unknown) => renderStack(withReleases(dev, [{ name: "demo", chart: "demo", version: "1.2.3", namespace: "cert-manager", values }]), mirror);

  it("finds nothing in a chart that a real install would admit", () => {
    const result = demo(compliant);
    assert.deepEqual(result.missing, []);
    assert.equal(result.rendered[0].manifests.length, 3);
    assert.deepEqual(result.findings, []);
  });

  it("flags a pod the namespace's Pod Security level refuses", () => {
    const { findings } = demo({ ...compliant, privileged: true });
    assert.deepEqual(checksOf(findings), ["pod-security Deployment/cert-manager/demo-controller"]);
    assert.match(findings[0].message, /namespace cert-manager enforces baseline, which refuses: container "controller" privileged/);
  });

  it("holds containers KServe injects into team pods to the team namespaces' level", () => {
    const { seccompProfile: _dropped, ...withoutSeccomp } = compliant.initializerSecurityContext;
    const { findings } = demo({ ...compliant, initializerSecurityContext: withoutSeccomp });
    assert.deepEqual(checksOf(findings), ["pod-security ClusterStorageContainer/cert-manager/default"]);
    assert.match(findings[0].message, /team namespaces, which enforce restricted and refuse: container "storage-initializer" has no RuntimeDefault or Localhost seccompProfile/);
  });

  it("flags a controller that may run off the system nodes, and one without requests", () => {
    const { nodeSelector: _n, resources: _r, ...bare } = compliant;
    const found = checksOf(demo(bare).findings);
    assert.deepEqual(found, ["requests Deployment/cert-manager/demo-controller", "system-nodes Deployment/cert-manager/demo-controller"]);
  });

  it("flags an image without a version, and accepts one pinned by digest", () => {
    assert.deepEqual(checksOf(demo({ ...compliant, image: "registry.example.com/controller:latest" }).findings), ["image-pinned Deployment/cert-manager/demo-controller"]);
    assert.deepEqual(checksOf(demo({ ...compliant, image: "registry.example.com/controller" }).findings), ["image-pinned Deployment/cert-manager/demo-controller"]);
    assert.deepEqual(demo({ ...compliant, image: `registry.example.com/controller@sha256:${"a".repeat(64)}` }).findings, []);
  });

  it("flags a Service whose selector matches no pod of the release", () => {
    const { findings } = demo({ ...compliant, serviceTarget: "controler" });
    assert.deepEqual(checksOf(findings), ["selector Service/cert-manager/demo-controller"]);
  });

  it("flags a device-plugin entry no pool's nodes pick, and a shared pool without its entry", () => {
    const operator = (keys: string[]) => `apiVersion: nvidia.com/v1
kind: ClusterPolicy
metadata: {name: cluster-policy}
spec:
  devicePlugin: {config: {name: device-plugin-config}}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: device-plugin-config}
data: ${JSON.stringify(Object.fromEntries(keys.map((k) => [k, "version: v1"])))}
`;
    const local = fs.mkdtempSync(path.join(os.tmpdir(), "mirror-"));
    writeChart(local, "gpu-operator", "v26.7.0", { "policy.yaml": operator(["default", "l4"]) });
    const real = dev.resources.find((r) => r.type === releaseType && r.inputs.name === "gpu-operator")!;
    const render = () => renderStack(withReleases(dev, [{ name: "gpu-operator", chart: "gpu-operator", version: "v26.7.0", namespace: "gpu-operator", values: real.inputs.values }]), local);
    assert.deepEqual(render().findings, [], "the dev stack's L4 pool picks entry l4");
    writeChart(local, "gpu-operator", "v26.7.0", { "policy.yaml": operator(["default", "a100"]) });
    assert.deepEqual(render().findings.map((f) => f.message), [
      "pool l4's nodes ask for entry \"l4\", which the ConfigMap lacks",
      "entry \"a100\" is picked by no pool's nodes",
    ]);
    fs.rmSync(local, { recursive: true, force: true });
  });

  it("renders a release with the API versions the releases before it install, as a real install would", () => {
    const local = fs.mkdtempSync(path.join(os.tmpdir(), "mirror-"));
    writeChart(local, "crds", "1.0.0", { "crd.yaml": `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: widgets.demo.io}
spec:
  group: demo.io
  names: {kind: Widget, plural: widgets}
  scope: Namespaced
  versions: [{name: v1, served: true, storage: true, schema: {openAPIV3Schema: {type: object}}}]
` });
    writeChart(local, "user", "1.0.0", { "widget.yaml": `{{- if .Capabilities.APIVersions.Has "demo.io/v1" }}
apiVersion: demo.io/v1
kind: Widget
metadata: {name: w}
{{- end }}
` });
    const release = (name: string) => ({ name, chart: name, version: "1.0.0", namespace: "cert-manager", values: {} });
    const kinds = (order: string[]) => renderStack(withReleases(dev, order.map(release)), local).rendered.flatMap((r) => r.manifests.map((m) => m.kind));
    assert.deepEqual(kinds(["crds", "user"]), ["CustomResourceDefinition", "Widget"]);
    assert.deepEqual(kinds(["user", "crds"]), ["CustomResourceDefinition"]);
    fs.rmSync(local, { recursive: true, force: true });
  });

  it("validates the plan's custom resources against the CRDs a chart renders (cert-manager's, which the reference set lacks)", () => {
    const local = fs.mkdtempSync(path.join(os.tmpdir(), "mirror-"));
    writeChart(local, "issuers", "1.0.0", { "crd.yaml": `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: issuers.cert-manager.io}
spec:
  group: cert-manager.io
  names: {kind: Issuer, plural: issuers}
  scope: Namespaced
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            apiVersion: {type: string}
            kind: {type: string}
            metadata: {type: object}
            spec:
              type: object
              properties:
                ca: {type: object, properties: {secretName: {type: string}}, required: [secretName]}
` });
    const release = { name: "issuers", chart: "issuers", version: "1.0.0", namespace: "cert-manager", values: {} };
    const issuer = (spec: unknown): PlannedResource => ({
      urn: "urn:pulumi:dev::gpu-platform::kubernetes:cert-manager.io/v1:Issuer::ca", type: "kubernetes:cert-manager.io/v1:Issuer", name: "ca", custom: true,
      dependencies: [], protect: false, ignoreChanges: [], deleteBeforeReplace: false,
      inputs: { apiVersion: "cert-manager.io/v1", kind: "Issuer", metadata: { name: "ca", namespace: "x" }, spec },
    });
    const findings = (spec: unknown) => {
      const base = withReleases(dev, [release]);
      return renderStack({ ...base, resources: [...base.resources.filter((r) => !r.type.includes("cert-manager.io")), issuer(spec)] }, local).findings;
    };
    assert.deepEqual(findings({ ca: { secretName: "ca" } }), []);
    assert.deepEqual(findings({ ca: { secretNme: "ca" } }).map((f) => `${f.check} ${f.object} ${f.message}`), [
      "crd-schema Issuer/x/ca /spec/ca must have required property 'secretName'",
      "crd-schema Issuer/x/ca /spec/ca must NOT have additional properties (secretNme)",
    ]);
    fs.rmSync(local, { recursive: true, force: true });
  });

  it("flags KEDA when it would not serve the external-metrics API, or an API backed by no Service", () => {
    const local = fs.mkdtempSync(path.join(os.tmpdir(), "mirror-"));
    writeChart(local, "keda", "2.20.2", { "api.yaml": `{{- if .Values.apiService }}
apiVersion: apiregistration.k8s.io/v1
kind: APIService
metadata: {name: v1beta1.external.metrics.k8s.io}
spec:
  service: {name: {{ .Values.serviceName | default "metrics-apiserver" }}, namespace: keda, port: 443}
  group: external.metrics.k8s.io
  version: v1beta1
{{- end }}
---
apiVersion: v1
kind: Service
metadata: {name: metrics-apiserver, namespace: keda}
spec:
  ports: [{port: 443}]
` });
    const render = (values: unknown) => renderStack(withReleases(dev, [{ name: "keda", chart: "keda", version: "2.20.2", namespace: "keda", values }]), local).findings.filter((f) => f.check === "api-service");
    assert.deepEqual(render({ apiService: true }), []);
    assert.match(render({}).map((f) => f.message).join(), /registers no such API/);
    assert.match(render({ apiService: true, serviceName: "gone" }).map((f) => f.message).join(), /points at Service keda\/gone, which the release does not create/);
    fs.rmSync(local, { recursive: true, force: true });
  });

  it("keeps accepted findings apart, with their reason, and fails on the rest", () => {
    const findings: Finding[] = [
      { release: "gpu-operator", check: "requests", object: "Job/gpu-operator/gpu-operator-upgrade-crd", message: "m" },
      { release: "gpu-operator", check: "requests", object: "Deployment/gpu-operator/gpu-operator", message: "m" },
      { release: "kueue", check: "requests", object: "Job/gpu-operator/gpu-operator-upgrade-crd", message: "m" },
    ];
    const { failing, accepted } = triage(findings);
    assert.deepEqual(accepted.map((f) => f.object), ["Job/gpu-operator/gpu-operator-upgrade-crd"]);
    assert.match(accepted[0].why, /Helm hook Jobs/);
    assert.deepEqual(failing.map((f) => `${f.release} ${f.object}`), ["gpu-operator Deployment/gpu-operator/gpu-operator", "kueue Job/gpu-operator/gpu-operator-upgrade-crd"]);
  });

  it("lists a chart missing from the mirror with the helm pull that fetches it", () => {
    const result = renderStack(withReleases(dev, [{ name: "kueue", chart: "oci://registry.k8s.io/kueue/charts/kueue", version: "0.19.2", namespace: "kueue-system", values: {} }]), mirror);
    assert.deepEqual(result.missing, [{ release: "kueue", chart: "kueue", version: "0.19.2", pull: "helm pull oci://registry.k8s.io/kueue/charts/kueue --version 0.19.2 --destination <mirror>" }]);
  });
});
