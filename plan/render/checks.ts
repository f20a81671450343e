/**
 * What a real install would trip on, read from the manifests `helm template` renders: pods the
 * namespace's Pod Security level refuses (serving runtimes and the containers KServe injects are
 * held to the team namespaces' level), controllers that may land off the system nodes, containers
 * without requests, unpinned images, device-plugin configurations no node selects, and Service
 * selectors that match no pod of the release.
 */
import { PodSecurityLevel, containersOf, podSecurityProblems } from "./pod-security";

type Obj = Record<string, unknown>;
const obj = (value: unknown): Obj => (value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Obj) : {});
const list = (value: unknown): Obj[] => (Array.isArray(value) ? value.map(obj) : []);

export type CheckName = "pod-security" | "system-nodes" | "requests" | "image-pinned" | "device-plugin-config" | "selector" | "crd-schema" | "api-service";

export interface Finding {
  readonly release: string;
  readonly check: CheckName;
  /** `Kind/namespace/name` of the object at fault, or the release for release-wide findings. */
  readonly object: string;
  readonly message: string;
}

/** One rendered release. */
export interface RenderedRelease {
  readonly release: string;
  readonly namespace: string;
  readonly manifests: readonly Obj[];
}

export interface RenderContext {
  /** Pod Security level each namespace enforces; a namespace not listed enforces nothing. */
  readonly namespaceLevels: Readonly<Record<string, PodSecurityLevel>>;
  /** The level of the team namespaces, where serving runtimes and injected containers run. */
  readonly teamLevel: PodSecurityLevel;
  /** Node labels that put controllers on the system nodes; empty to skip the check. */
  readonly systemNodeSelector: Readonly<Record<string, string>>;
  /** Per GPU pool whose sharing the GPU Operator applies: the labels its nodes carry. */
  readonly sharedPools: readonly { readonly name: string; readonly nodeLabels: Readonly<Record<string, string>> }[];
  /** Per release: the aggregated APIs (APIService names) the platform relies on it to serve. */
  readonly servedApis?: Readonly<Record<string, readonly string[]>>;
}

/** A workload's pod spec and whether it runs on every node (DaemonSets do, and may). */
function podSpecOf(manifest: Obj): { spec: Obj; everyNode: boolean } | undefined {
  const spec = obj(manifest.spec);
  switch (manifest.kind) {
    case "Deployment":
    case "StatefulSet":
    case "ReplicaSet":
    case "Job":
      return { spec: obj(obj(spec.template).spec), everyNode: false };
    case "DaemonSet":
      return { spec: obj(obj(spec.template).spec), everyNode: true };
    case "CronJob":
      return { spec: obj(obj(obj(obj(spec.jobTemplate).spec).template).spec), everyNode: false };
    case "Pod":
      return { spec, everyNode: false };
  }
  return undefined;
}

/** Containers a serving runtime or a storage initializer puts into team pods, as pod specs. */
function teamPodSpecsOf(manifest: Obj): Obj[] {
  const spec = obj(manifest.spec);
  switch (manifest.kind) {
    case "ClusterServingRuntime":
    case "ServingRuntime": {
      if (spec.disabled === true) return [];
      const worker = obj(spec.workerSpec);
      return [{ ...spec, containers: spec.containers }, ...(worker.containers ? [{ ...worker }] : [])];
    }
    case "ClusterStorageContainer":
      return [{ containers: [obj(spec.container)] }];
  }
  return [];
}

const nameOf = (manifest: Obj, fallbackNamespace: string) => {
  const metadata = obj(manifest.metadata);
  return `${String(manifest.kind)}/${String(metadata.namespace ?? fallbackNamespace)}/${String(metadata.name)}`;
};

/** An image reference with neither a digest nor a tag other than latest. */
export function unpinnedImage(image: string): boolean {
  if (image.includes("@sha256:")) return false;
  const lastSegment = image.slice(image.lastIndexOf("/") + 1);
  const tag = lastSegment.includes(":") ? lastSegment.slice(lastSegment.indexOf(":") + 1) : "";
  return tag === "" || tag === "latest";
}

/** Whether a pod spec can only be scheduled on nodes carrying every label of `selector`. */
function pinnedTo(spec: Obj, selector: Readonly<Record<string, string>>): boolean {
  const nodeSelector = obj(spec.nodeSelector);
  if (Object.entries(selector).every(([key, value]) => nodeSelector[key] === value)) return true;
  const terms = list(obj(obj(obj(spec.affinity).nodeAffinity).requiredDuringSchedulingIgnoredDuringExecution).nodeSelectorTerms);
  return terms.length > 0 && terms.every((term) => Object.entries(selector).every(([key, value]) =>
    list(term.matchExpressions).some((e) => e.key === key && e.operator === "In" && Array.isArray(e.values) && e.values.length === 1 && e.values[0] === value)));
}

function workloadFindings(rendered: RenderedRelease, context: RenderContext): Finding[] {
  const findings: Finding[] = [];
  const add = (check: CheckName, object: string, message: string) => findings.push({ release: rendered.release, check, object, message });
  for (const manifest of rendered.manifests) {
    const namespace = String(obj(manifest.metadata).namespace ?? rendered.namespace);
    const object = nameOf(manifest, rendered.namespace);
    const pod = podSpecOf(manifest);
    const teamSpecs = teamPodSpecsOf(manifest);
    if (pod) {
      const level = context.namespaceLevels[namespace] ?? "privileged";
      for (const problem of podSecurityProblems(pod.spec, level)) add("pod-security", object, `namespace ${namespace} enforces ${level}, which refuses: ${problem}`);
      if (!pod.everyNode && Object.keys(context.systemNodeSelector).length > 0 && !pinnedTo(pod.spec, context.systemNodeSelector)) {
        add("system-nodes", object, `may run off the system nodes: no nodeSelector ${JSON.stringify(context.systemNodeSelector)}`);
      }
    }
    for (const spec of teamSpecs) {
      for (const problem of podSecurityProblems(spec, context.teamLevel)) add("pod-security", object, `runs in team namespaces, which enforce ${context.teamLevel} and refuse: ${problem}`);
    }
    for (const spec of [...(pod ? [pod.spec] : []), ...teamSpecs]) {
      for (const { kind, container } of containersOf(spec)) {
        if (kind === "ephemeralContainer") continue;
        const requests = obj(obj(container.resources).requests);
        if (requests.cpu === undefined && requests.memory === undefined) add("requests", object, `${kind} "${String(container.name)}" requests no CPU or memory, so the scheduler cannot place it sensibly`);
        if (typeof container.image === "string" && unpinnedImage(container.image)) add("image-pinned", object, `${kind} "${String(container.name)}" image ${container.image} is not pinned to a version`);
      }
    }
  }
  return findings;
}

/**
 * Labels of the pods an operator starts for a custom resource the release creates. The Prometheus
 * operator labels a Prometheus' pods and an Alertmanager's as below (prometheus-operator
 * pkg/prometheus/statefulset.go, pkg/alertmanager/statefulset.go), plus `spec.podMetadata.labels`.
 */
function operatorPodLabels(manifest: Obj): Obj | undefined {
  const name = String(obj(manifest.metadata).name);
  const own = obj(obj(obj(manifest.spec).podMetadata).labels);
  switch (manifest.kind) {
    case "Prometheus":
      return { ...own, "app.kubernetes.io/name": "prometheus", "app.kubernetes.io/instance": name, "operator.prometheus.io/name": name, prometheus: name };
    case "Alertmanager":
      return { ...own, "app.kubernetes.io/name": "alertmanager", "app.kubernetes.io/instance": name, alertmanager: name };
  }
  return undefined;
}

/**
 * Service selectors in the release's own namespace that match no pod the release creates, itself or
 * through an operator. (A Service a chart puts elsewhere, such as a scrape target in kube-system,
 * selects pods the cluster already runs.)
 */
function selectorFindings(rendered: RenderedRelease): Finding[] {
  const pods = rendered.manifests.flatMap((manifest) => {
    const namespace = String(obj(manifest.metadata).namespace ?? rendered.namespace);
    const pod = podSpecOf(manifest);
    const labels = pod ? (manifest.kind === "Pod" ? obj(obj(manifest.metadata).labels) : obj(obj(obj(obj(manifest.spec).template).metadata).labels)) : operatorPodLabels(manifest);
    return labels ? [{ namespace, labels }] : [];
  });
  return rendered.manifests.filter((m) => m.kind === "Service").flatMap((service) => {
    const selector = obj(obj(service.spec).selector);
    const namespace = String(obj(service.metadata).namespace ?? rendered.namespace);
    if (Object.keys(selector).length === 0 || namespace !== rendered.namespace) return [];
    const matched = pods.some((pod) => pod.namespace === namespace && Object.entries(selector).every(([key, value]) => pod.labels[key] === value));
    return matched ? [] : [{ release: rendered.release, check: "selector" as const, object: nameOf(service, rendered.namespace), message: `selector ${JSON.stringify(selector)} matches no pod this release creates` }];
  });
}

/**
 * The GPU Operator's device-plugin ConfigMap: every shared pool must have its entry and carry the
 * label that picks it, and every entry but `default` must be picked by some pool.
 */
function devicePluginFindings(rendered: RenderedRelease, context: RenderContext): Finding[] {
  const policy = rendered.manifests.find((m) => m.kind === "ClusterPolicy");
  if (!policy) return [];
  const configName = obj(obj(obj(policy.spec).devicePlugin).config).name;
  if (typeof configName !== "string" || configName === "") return [];
  const configMap = rendered.manifests.find((m) => m.kind === "ConfigMap" && obj(m.metadata).name === configName);
  const keys = Object.keys(obj(configMap?.data));
  const findings: Finding[] = [];
  const add = (message: string) => findings.push({ release: rendered.release, check: "device-plugin-config", object: `ConfigMap/${rendered.namespace}/${configName}`, message });
  if (!configMap) add("the ClusterPolicy names a device-plugin ConfigMap the release does not create");
  const picked = new Set<string>();
  for (const pool of context.sharedPools) {
    const label = pool.nodeLabels["nvidia.com/device-plugin.config"];
    if (label === undefined) add(`pool ${pool.name}'s nodes carry no nvidia.com/device-plugin.config label, so they get the default entry and are not shared`);
    else if (!keys.includes(label)) add(`pool ${pool.name}'s nodes ask for entry "${label}", which the ConfigMap lacks`);
    else picked.add(label);
  }
  for (const key of keys) if (key !== "default" && !picked.has(key)) add(`entry "${key}" is picked by no pool's nodes`);
  return findings;
}

export function checkRelease(rendered: RenderedRelease, context: RenderContext): Finding[] {
  return [...workloadFindings(rendered, context), ...selectorFindings(rendered), ...devicePluginFindings(rendered, context), ...apiServiceFindings(rendered, context)];
}

/**
 * Aggregated APIs: each one the platform relies on (KEDA's external metrics, which every HPA on a
 * custom metric reads) must be registered by the release, and every APIService it registers must
 * point at a Service it creates, or the API server answers 503 for the whole group.
 */
function apiServiceFindings(rendered: RenderedRelease, context: RenderContext): Finding[] {
  const findings: Finding[] = [];
  const apiServices = rendered.manifests.filter((m) => m.kind === "APIService");
  const services = new Set(rendered.manifests.filter((m) => m.kind === "Service").map((m) => `${String(obj(m.metadata).namespace ?? rendered.namespace)}/${String(obj(m.metadata).name)}`));
  for (const name of context.servedApis?.[rendered.release] ?? []) {
    if (!apiServices.some((api) => obj(api.metadata).name === name)) {
      findings.push({ release: rendered.release, check: "api-service", object: `APIService//${name}`, message: "the release registers no such API; nothing would serve it" });
    }
  }
  for (const api of apiServices) {
    const target = obj(obj(api.spec).service);
    if (Object.keys(target).length > 0 && !services.has(`${String(target.namespace)}/${String(target.name)}`)) {
      findings.push({ release: rendered.release, check: "api-service", object: nameOf(api, ""), message: `points at Service ${String(target.namespace)}/${String(target.name)}, which the release does not create` });
    }
  }
  return findings;
}
