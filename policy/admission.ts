/**
 * The pack's rules that matter after `pulumi up`, as Kubernetes ValidatingAdmissionPolicies: what
 * teams deploy through GitOps is held to the same rules the pack checks in the plan. Each policy
 * reads its values and its mode from the rule it mirrors in policy/config/<environment>.json, so a
 * rule changes in one place. CEL here sticks to the standard library (no Kubernetes extensions), so
 * the tests evaluate every expression with a real CEL evaluator.
 */
import * as fs from "fs";
import * as path from "path";
import { recognisedInternalAnnotations } from "../stacks/load-balancers";
import { policies } from "./policies";
import { globPattern } from "./support";

/** Deny in the environments that say so; warn (and audit) where teams are still learning the rules. */
export type AdmissionMode = "deny" | "warn";

export type PackConfig = Readonly<Record<string, unknown>>;

/** The pack config the environment's CI passes to the policy pack. */
export function readPackConfig(environment: string): PackConfig {
  return JSON.parse(fs.readFileSync(path.join(__dirname, "config", `${environment}.json`), "utf8")) as PackConfig;
}

/** A rule's own settings in the pack config (a bare level string has none). */
function ruleConfig(config: PackConfig, rule: string): Record<string, unknown> {
  const entry = config[rule];
  return entry !== null && typeof entry === "object" ? (entry as Record<string, unknown>) : {};
}

export interface AdmissionPolicySpec {
  readonly name: string;
  /** The pack rule it mirrors, whose config it reads. */
  readonly mirrors: string;
  readonly mode: AdmissionMode;
  readonly resources: readonly { readonly apiGroups: string[]; readonly apiVersions: string[]; readonly resources: string[] }[];
  /** Which namespaces the binding covers. */
  readonly namespaces: { readonly teamsOnly: true } | { readonly except: readonly string[] };
  readonly variables: readonly { readonly name: string; readonly expression: string }[];
  readonly validations: readonly { readonly expression: string; readonly message: string }[];
}

export const teamNamespaceLabel = "gpu-platform.io/team";
const quote = (text: string) => `'${text.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;
const list = (items: readonly string[]) => `[${items.map(quote).join(", ")}]`;

/** Every container of a pod, init and ephemeral ones included. */
const allContainers = "object.spec.containers + (has(object.spec.initContainers) ? object.spec.initContainers : []) + (has(object.spec.ephemeralContainers) ? object.spec.ephemeralContainers : [])";

/** Namespaces the clouds run their own node agents in (privileged by design), beside the GPU Operator's. */
export const systemNamespaces = ["kube-system", "kube-node-lease", "kube-public", "gke-managed-system", "gmp-system", "gke-gmp-system"];

/**
 * A rule's setting as the pack would see it: the environment's value, else the default its
 * configSchema declares, so a default is written once, in the rule.
 */
function setting<T>(config: PackConfig, rule: string, key: string): T {
  const own = ruleConfig(config, rule)[key];
  if (own !== undefined) return own as T;
  const declared = policies.find((policy) => policy.name === rule)?.configSchema?.properties?.[key]?.default;
  if (declared === undefined) throw new Error(`pack rule ${rule} declares no setting ${key}`);
  return declared as T;
}

/** The rule an admission policy mirrors, with the mode its `admission` setting gives it. */
function twinOf(config: PackConfig, rule: string): Pick<AdmissionPolicySpec, "mirrors" | "mode"> {
  return { mirrors: rule, mode: setting<AdmissionMode>(config, rule, "admission") };
}

/** The admission policies a stack installs, from its environment's pack config. */
export function admissionPolicies(config: PackConfig, options: { dra: boolean; gateway?: GatewayGuards }): AdmissionPolicySpec[] {
  const internal = Object.entries(recognisedInternalAnnotations)
    .map(([key, values]) => `(${quote(key)} in annotations && annotations[${quote(key)}] in ${list(values)})`)
    .join(" || ");
  const registries = setting<string[]>(config, "container-images-from-approved-registries", "allowedRegistries");
  const privileged = setting<string[]>(config, "only-gpu-operator-namespace-privileged", "allowed");
  const classes = setting<string[]>(config, "dra-device-classes-allowed", "allowedDeviceClasses");
  const largestSlice = setting<number>(config, "dra-device-classes-allowed", "largestMigSlice");
  const classPatterns = classes.map(globPattern);

  const policies: AdmissionPolicySpec[] = [
    {
      name: "gpu-platform-no-public-services",
      ...twinOf(config, "no-public-load-balancers"),
      resources: [{ apiGroups: [""], apiVersions: ["v1"], resources: ["services"] }],
      namespaces: { teamsOnly: true },
      variables: [{ name: "annotations", expression: "has(object.metadata.annotations) ? object.metadata.annotations : {}" }],
      validations: [
        { expression: "!has(object.spec.type) || object.spec.type != 'NodePort'", message: "NodePort Services open a port on every node; use ClusterIP and the inference gateway" },
        {
          expression: `!has(object.spec.type) || object.spec.type != 'LoadBalancer' || (${internal.replace(/annotations/g, "variables.annotations")})`,
          message: "a LoadBalancer Service in a team namespace must carry the cloud's internal-load-balancer annotation; models are reached through the inference gateway",
        },
      ],
    },
    {
      name: "gpu-platform-no-team-gateways",
      ...twinOf(config, "no-public-load-balancers"),
      resources: [{ apiGroups: ["gateway.networking.k8s.io"], apiVersions: ["*"], resources: ["gateways", "listenersets"] }],
      namespaces: { teamsOnly: true },
      variables: [],
      validations: [{ expression: "false", message: "Gateways and listeners are the platform's (each would get its own load balancer); attach routes to inference-gateway/inference" }],
    },
    {
      name: "gpu-platform-gpu-pods-queued",
      ...twinOf(config, "team-namespace-has-gpu-quota-and-queue"),
      resources: [{ apiGroups: [""], apiVersions: ["v1"], resources: ["pods"] }],
      namespaces: { teamsOnly: true },
      variables: [
        {
          name: "wantsGpu",
          expression: `(${allContainers}).exists(c, has(c.resources) && ((has(c.resources.limits) && 'nvidia.com/gpu' in c.resources.limits) || (has(c.resources.requests) && 'nvidia.com/gpu' in c.resources.requests))) || (has(object.spec.resourceClaims) && size(object.spec.resourceClaims) > 0)`,
        },
      ],
      validations: [{
        expression: "!variables.wantsGpu || (has(object.metadata.labels) && 'kueue.x-k8s.io/queue-name' in object.metadata.labels && object.metadata.labels['kueue.x-k8s.io/queue-name'] == 'default')",
        message: "a pod asking for GPUs must name its team's Kueue queue: label it kueue.x-k8s.io/queue-name=default",
      }],
    },
    {
      name: "gpu-platform-approved-registries",
      ...twinOf(config, "container-images-from-approved-registries"),
      resources: [{ apiGroups: [""], apiVersions: ["v1"], resources: ["pods"] }],
      namespaces: { teamsOnly: true },
      variables: [
        // Docker's default registry made explicit: `vllm/vllm-openai` → `docker.io/vllm/vllm-openai`.
        {
          name: "images",
          expression: `(${allContainers}).map(c, !c.image.contains('/') ? 'docker.io/library/' + c.image : (c.image.split('/')[0].contains('.') || c.image.split('/')[0].contains(':') || c.image.split('/')[0] == 'localhost') ? c.image : 'docker.io/' + c.image)`,
        },
      ],
      validations: [{
        expression: `variables.images.all(image, ${list(registries)}.exists(registry, image.startsWith(registry + '/')))`,
        message: `images come only from approved registries: ${registries.join(", ")}`,
      }],
    },
    {
      name: "gpu-platform-no-host-access",
      ...twinOf(config, "only-gpu-operator-namespace-privileged"),
      resources: [{ apiGroups: [""], apiVersions: ["v1"], resources: ["pods"] }],
      namespaces: { except: [...privileged, ...systemNamespaces] },
      variables: [],
      validations: [
        { expression: "!(has(object.spec.hostNetwork) && object.spec.hostNetwork) && !(has(object.spec.hostPID) && object.spec.hostPID) && !(has(object.spec.hostIPC) && object.spec.hostIPC)", message: `host namespaces are for ${privileged.join(", ")} only` },
        { expression: "!has(object.spec.volumes) || object.spec.volumes.all(v, !has(v.hostPath))", message: `hostPath volumes are for ${privileged.join(", ")} only` },
        { expression: `(${allContainers}).all(c, !has(c.securityContext) || !has(c.securityContext.privileged) || !c.securityContext.privileged)`, message: `privileged containers are for ${privileged.join(", ")} only` },
      ],
    },
  ];
  if (options.gateway) policies.push(...gatewayGuards(config, options.gateway));
  if (options.dra) {
    policies.push({
      name: "gpu-platform-dra-device-classes",
      ...twinOf(config, "dra-device-classes-allowed"),
      resources: [{ apiGroups: ["resource.k8s.io"], apiVersions: ["v1"], resources: ["resourceclaims", "resourceclaimtemplates"] }],
      namespaces: { teamsOnly: true },
      variables: [{ name: "requests", expression: "object.kind == 'ResourceClaimTemplate' ? object.spec.spec.devices.requests : object.spec.devices.requests" }],
      validations: [
        {
          expression: `variables.requests.all(r, has(r.exactly) && ${list(classPatterns)}.exists(p, r.exactly.deviceClassName.matches(p)))`,
          message: `claims name only the DeviceClasses this environment offers: ${classes.join(", ")}`,
        },
        {
          expression: `variables.requests.all(r, !has(r.exactly) || !r.exactly.deviceClassName.startsWith('mig-') || int(r.exactly.deviceClassName.split('-')[1].split('g')[0]) <= ${largestSlice})`,
          message: `MIG slices up to ${largestSlice}g in this environment`,
        },
      ],
    });
  }
  return policies;
}

/** What the gateway's guards need to know: the names its policies and routing rely on. */
export interface GatewayGuards {
  /** The header a team's AIServiceBackend sets for the scale-from-zero interceptor. */
  readonly modelHeader: string;
  /** The interceptor's host, the one Backend target outside a team's namespace. */
  readonly interceptorHost: string;
  /** The metadata key of the platform's token count, which a team's route must not redefine. */
  readonly tokenCostKey: string;
}

/**
 * What a team writes about the gateway must not reach past its namespace or its limits: its
 * Backends point at its own Services (or the interceptor), its interceptor routes claim only its
 * own models, and its AI routes never redefine the token count the budgets read.
 */
function gatewayGuards(config: PackConfig, guards: GatewayGuards): AdmissionPolicySpec[] {
  const twin = twinOf(config, "teams-rate-limited-at-gateway");
  return [
    {
      name: "gpu-platform-team-backends-stay-home",
      ...twin,
      resources: [{ apiGroups: ["gateway.envoyproxy.io"], apiVersions: ["*"], resources: ["backends"] }],
      namespaces: { teamsOnly: true },
      variables: [],
      validations: [{
        expression: `object.spec.endpoints.all(e, has(e.fqdn) && (e.fqdn.hostname.endsWith('.' + object.metadata.namespace + '.svc.cluster.local') || e.fqdn.hostname == ${quote(guards.interceptorHost)}))`,
        message: "a team's Backend points at a Service in its own namespace (name.<namespace>.svc.cluster.local) or at the scale-from-zero interceptor; other teams' models are called through the gateway with a key",
      }],
    },
    {
      name: "gpu-platform-interceptor-routes-own-models",
      ...twin,
      resources: [{ apiGroups: ["http.keda.sh"], apiVersions: ["*"], resources: ["interceptorroutes"] }],
      namespaces: { teamsOnly: true },
      variables: [],
      validations: [{
        expression: `!has(object.spec.rules) || object.spec.rules.all(r, has(r.headers) && r.headers.exists(h, h.name == ${quote(guards.modelHeader)} && has(h.value) && h.value.startsWith(object.metadata.namespace + '.')))`,
        message: `an InterceptorRoute in a team namespace matches only its own models: a ${guards.modelHeader} header whose value starts with <namespace>.`,
      }],
    },
    {
      name: "gpu-platform-token-costs-platform-owned",
      ...twin,
      resources: [{ apiGroups: ["aigateway.envoyproxy.io"], apiVersions: ["*"], resources: ["aigatewayroutes"] }],
      namespaces: { teamsOnly: true },
      variables: [],
      validations: [{
        expression: `!has(object.spec.llmRequestCosts) || object.spec.llmRequestCosts.all(c, c.metadataKey != ${quote(guards.tokenCostKey)})`,
        message: `the token count team budgets read (${guards.tokenCostKey}) is the platform's; a route may define its own costs under other keys`,
      }],
    },
  ];
}

/** What a binding does with a refusal: the Kubernetes validationActions for the mode. */
export const validationActions = (mode: AdmissionMode): string[] => (mode === "deny" ? ["Deny"] : ["Warn", "Audit"]);
