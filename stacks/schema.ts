/**
 * The stack configuration: every setting a stack file may hold, its type, its default and what it
 * allows. Parsed once, at the edge, by `load.ts`; everything past that point receives typed values.
 *
 * Settings live under the project namespace, e.g. `gpu-platform:region`. README.md documents each.
 */
import { z } from "zod";
import { gpuModels } from "./gpu-catalog";
import { jurisdictionIds } from "./jurisdictions";
import { kubernetesVersions, defaultKubernetesVersion } from "./kubernetes-versions";

/** Where the platform runs: a managed cluster it builds on a cloud, or a cluster that already exists. */
export const supportedClouds = ["aws", "gcp", "azure", "existing"] as const;
export type Cloud = (typeof supportedClouds)[number];

export const environments = ["dev", "staging", "prod"] as const;
export type Environment = (typeof environments)[number];

const dnsLabel = z
  .string()
  .regex(/^[a-z]([-a-z0-9]{0,30}[a-z0-9])?$/, "must be lowercase letters, digits and '-', start with a letter, at most 32 characters");

const ipv4Cidr = z
  .string()
  .regex(/^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/, "must be an IPv4 CIDR such as 10.0.0.0/16")
  .refine((cidr) => {
    const [address, prefix] = cidr.split("/");
    return address.split(".").every((octet) => Number(octet) <= 255) && Number(prefix) <= 32;
  }, "must be an IPv4 CIDR with octets up to 255 and a prefix up to /32");

/** Kubernetes resource quantity, e.g. `32`, `500m`, `128Gi`. */
const quantity = z
  .string()
  .regex(/^[0-9]+(\.[0-9]+)?(m|k|M|G|T|Ki|Mi|Gi|Ti)?$/, "must be a Kubernetes quantity such as 8, 500m or 64Gi");

const capacityTypes = ["spot", "on-demand"] as const;
export type CapacityType = (typeof capacityTypes)[number];

const gpuSharing = z.discriminatedUnion("mode", [
  z.strictObject({ mode: z.literal("none") }),
  z.strictObject({
    mode: z.literal("time-slicing"),
    /** Pods that may share one physical GPU; each sees a full GPU with no memory isolation. */
    replicas: z.int().min(2).max(48),
  }),
  z.strictObject({
    mode: z.literal("mig"),
    /** A GPU Operator MIG profile such as `all-1g.10gb` or `all-balanced`. */
    profile: z.string().regex(/^all-(balanced|disabled|\d+g\.\d+gb(\.me)?)$/, "must be a MIG profile such as all-1g.10gb, all-3g.40gb or all-balanced"),
  }),
]);
export type GpuSharing = z.infer<typeof gpuSharing>;

const labelMap = z.record(
  z.string().regex(/^([a-z0-9]([-a-z0-9.]*[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/, "must be a Kubernetes label key such as nvidia.com/gpu.product"),
  z.string().regex(/^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$/, "must be a Kubernetes label value: up to 63 letters, digits, '-', '_' or '.'"),
);

/** The GPU nodes of a pool on an existing cluster: how to find them and what each holds. */
const existingNodes = z.strictObject({
  /** Labels that select this pool's nodes and no others. */
  labels: labelMap.refine((labels) => Object.keys(labels).length > 0, "must name at least one label"),
  gpusPerNode: z.int().min(1).max(16),
  /** Whether the nodes carry the nvidia.com/gpu=present:NoSchedule taint the platform's flavors tolerate. */
  tainted: z.boolean().default(true),
});

const gpuPool = z.strictObject({
  /** Used in node labels, NodePool and Kueue flavor names; changing it replaces the pool. */
  name: dnsLabel,
  gpu: z.enum(gpuModels),
  /** Machine types to use instead of every catalog type for the model; all must carry that model. */
  instanceTypes: z.array(z.string().min(1)).min(1).optional(),
  /** Hard ceiling on GPUs in the pool, baseline included. */
  maxGpus: z.int().min(1).max(4096),
  /** Always-on nodes; 0 lets the pool scale to zero when idle. */
  baselineNodes: z.int().min(0).max(100).default(0),
  /** Spot first when both are listed; on-demand is the fallback. */
  capacityTypes: z.array(z.enum(capacityTypes)).min(1).default(["spot", "on-demand"]),
  sharing: gpuSharing.default({ mode: "none" }),
  /**
   * How pods get the pool's GPUs: `devicePlugin` (a count of nvidia.com/gpu) or `dra` (Dynamic
   * Resource Allocation: ResourceClaims for a whole GPU, a MIG slice, or a GPU with enough memory,
   * through NVIDIA's DRA driver). What each cloud supports: README, "GPUs as devices".
   */
  allocation: z.enum(["devicePlugin", "dra"]).default("devicePlugin"),
  /**
   * The isolated pool the Kubernetes AI Conformance suite's autoscaling test watches: untainted
   * (the suite's pods carry no tolerations), always-on nodes below a higher bound, no team quota.
   */
  conformanceTest: z.boolean().default(false),
  /** `cloud: existing` only: the nodes already there. */
  existingNodes: existingNodes.optional(),
});

const team = z.strictObject({
  /** Also the team's namespace. */
  name: dnsLabel,
  /** Nominal GPUs per pool, keyed by pool name. */
  gpus: z.record(z.string(), z.int().min(0)).default({}),
  cpu: quantity,
  memory: quantity,
  /**
   * Who gets `edit` in the team's namespace, in the form the stack's cloud authenticates: an IAM
   * role ARN (aws), a group of eks.identityProvider (aws with SSO), a Google Group email (gcp,
   * with gke.securityGroup), an Entra ID group object id (azure), a group name (existing).
   */
  group: z.string().min(1).optional(),
});

const network = z
  .strictObject({
    /** Address space of the VPC the platform creates. Changing it replaces the network and cluster. */
    vpcCidr: ipv4Cidr.optional(),
    availabilityZones: z.int().min(2).max(6).optional(),
    /**
     * aws: how the VPC is cut into subnets. `sixZones` (the default) cuts it as for six zones, so a
     * zone's subnets never move when availabilityZones changes. `byZoneCount` is the earlier cut
     * (larger subnets, moved by a zone-count change); stacks created with it keep it, since a
     * different cut re-creates every subnet over the old ranges, which AWS refuses.
     */
    subnetLayout: z.enum(["sixZones", "byZoneCount"]).optional(),
    /** `single` saves cost; `perZone` survives the loss of a zone. Default: perZone in prod. */
    natGateways: z.enum(["single", "perZone"]).optional(),
    /** Use an existing VPC instead of creating one. */
    vpcId: z.string().regex(/^vpc-[0-9a-f]+$/, "must be a VPC id such as vpc-0abc123").optional(),
    /** Existing private subnets, in at least two zones. */
    subnetIds: z.array(z.string().regex(/^subnet-[0-9a-f]+$/, "must be a subnet id such as subnet-0abc123")).min(2).optional(),
  })
  .default({});

/** Public API endpoints accept nothing broader than /8, and never 0.0.0.0/0. */
const apiCidr = ipv4Cidr.refine((cidr) => Number(cidr.split("/")[1]) >= 8, "is too broad: the API endpoint may be opened only to networks of /8 or narrower, never 0.0.0.0/0");

/**
 * How `pulumi up` (and people) reach the Kubernetes API. What each setting opens differs per cloud
 * (README, "Reaching the API"); on aws one of the two lists is required, since a private-only
 * endpoint in a VPC the same run creates is reachable from nowhere.
 */
const apiAccess = z
  .strictObject({
    /**
     * Networks allowed on the public endpoint: the CI runners' and admins' egress addresses. Empty
     * (the default) keeps the endpoint private. Updates in place.
     */
    publicCidrs: z.array(apiCidr).default([]),
    /**
     * aws only: networks connected to the VPC (a runner VPC behind a transit gateway or peering, a
     * VPN) that reach the private endpoint, through a 443 rule on the control plane's security
     * group. Instead of publicCidrs, not beside it: with a public endpoint, the endpoint's name
     * resolves to public addresses outside the VPC.
     */
    privateCidrs: z.array(apiCidr).default([]),
  })
  .default({ publicCidrs: [], privateCidrs: [] });

const systemNodes = z
  .strictObject({
    /** Runs the autoscaler and the add-ons; never GPU work. Default per cloud (see README). */
    instanceType: z.string().min(1).optional(),
    min: z.int().min(1).max(50).default(2),
    max: z.int().min(1).max(50).default(4),
  })
  .default({ min: 2, max: 4 });

const tags = z
  .record(z.string().regex(/^[A-Za-z0-9 _.:/=+@-]{1,128}$/, "must be 1-128 letters, digits, spaces or _.:/=+@-"), z.string().min(1).max(256))
  .superRefine((value, ctx) => {
    for (const required of ["owner", "cost-center"]) {
      if (!(required in value)) ctx.addIssue({ code: "custom", path: [required], message: `tag "${required}" is required` });
    }
    for (const reserved of ["environment", "stack", "jurisdiction", "managed-by"]) {
      if (reserved in value) ctx.addIssue({ code: "custom", path: [reserved], message: `tag "${reserved}" is set by the platform from the stack; remove it` });
    }
  });

const cloudWatchRetentionDays = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653] as const;

/** Exported: the loader checks teams[].group against them, per cloud. */
export const iamRoleArn = z.string().regex(/^arn:aws[a-z-]*:iam::\d{12}:role\/.+$/, "must be an IAM role ARN such as arn:aws:iam::123456789012:role/platform-admin");

/** An OIDC identity provider (SSO) whose tokens EKS accepts beside IAM: people log in with their groups. */
const eksIdentityProvider = z.strictObject({
  /** The issuer, exactly as in its tokens: https, public, no query string. */
  issuerUrl: z.string().regex(/^https:\/\/[^\s?#]+$/, "must be the provider's https:// issuer URL, without a query string"),
  /** The audience EKS expects in tokens: the client (application) id registered for kubectl. */
  clientId: z.string().min(1),
  /** Claim holding the user name. */
  usernameClaim: z.string().min(1).default("email"),
  /** Claim holding the user's groups; teams[].group and adminGroups name values of it. */
  groupsClaim: z.string().min(1).default("groups"),
  /** Groups of this provider granted cluster-admin. */
  adminGroups: z.array(z.string().min(1)).default([]),
});

const eks = z
  .strictObject({
    /** Node OS for GPU nodes: both ship the NVIDIA driver and container toolkit. */
    gpuNodeImage: z.enum(["al2023", "bottlerocket"]).default("al2023"),
    /** IAM roles granted cluster-admin through EKS access entries, one entry per role. */
    adminRoleArns: z.array(iamRoleArn).default([]),
    /**
     * SSO for people: teams[].group and adminGroups then name this provider's groups instead of
     * IAM roles. Every field replaces the association on change (EKS cannot update one in place).
     */
    identityProvider: eksIdentityProvider.optional(),
    /** Days to keep control-plane logs. Default: 365 in prod, 90 elsewhere. */
    logRetentionDays: z
      .int()
      .refine((days) => (cloudWatchRetentionDays as readonly number[]).includes(days), `must be one of ${cloudWatchRetentionDays.join(", ")}`)
      .optional(),
    /** Root volume of GPU nodes; model images are large. */
    gpuNodeVolumeGiB: z.int().min(50).max(16384).default(200),
  })
  .default({ gpuNodeImage: "al2023", adminRoleArns: [], gpuNodeVolumeGiB: 200 });

const gke = z
  .strictObject({
    /** Google Cloud project that holds the cluster. Required on gcp. */
    project: z.string().regex(/^[a-z][a-z0-9-]{4,28}[a-z0-9]$/, "must be a Google Cloud project id such as ml-platform-prod").optional(),
    /** GKE upgrades the control plane and nodes along this channel. */
    releaseChannel: z.enum(["RAPID", "REGULAR", "STABLE"]).default("REGULAR"),
    /**
     * `gke-security-groups@<your domain>`: turns on Google Groups for RBAC, so teams[].group and
     * adminGroups can name Google Groups (nested in this one). Updates in place.
     */
    securityGroup: z.string().regex(/^gke-security-groups@[a-z0-9.-]+\.[a-z]{2,}$/, "must be gke-security-groups@<your domain>, the group Google Groups for RBAC requires").optional(),
    /** Google Groups (emails) granted cluster-admin; needs securityGroup. */
    adminGroups: z.array(z.email("must be a Google Group's email address")).default([]),
    /** NVIDIA driver GKE installs on GPU nodes: the version GKE tests with its release, or the newest. */
    gpuDriverVersion: z.enum(["DEFAULT", "LATEST"]).default("DEFAULT"),
  })
  .prefault({});

export const uuid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, "must be an Entra ID object id (a UUID)");

const aks = z
  .strictObject({
    /** Entra ID groups granted cluster admin through Azure RBAC. */
    adminGroupObjectIds: z.array(uuid).default([]),
    /** AKS control-plane tier; Standard carries the uptime SLA. Default: Standard in prod, else Free. */
    tier: z.enum(["Free", "Standard"]).optional(),
  })
  .prefault({});

const existing = z
  .strictObject({
    /** Path to a kubeconfig file, read at `pulumi up`. */
    kubeconfigPath: z.string().min(1).optional(),
    /** A kubeconfig itself; set it with `pulumi config set --secret --path gpu-platform:existing.kubeconfig`. */
    kubeconfig: z.string().min(1).optional(),
    /** kubeconfig context to use; default: the file's current context. */
    context: z.string().min(1).optional(),
    /** Labels of the nodes where controllers should run; default: any untainted node. */
    systemNodeLabels: labelMap.default({}),
    /** StorageClass for Prometheus' volume; default: the cluster's default class. */
    storageClass: z.string().regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, "must be a StorageClass name").optional(),
    /**
     * What the GPU nodes already run, so the GPU Operator installs only the rest: a second driver or
     * device plugin beside the node's own fights it. Default: nothing (the operator brings all).
     */
    gpuNodeSoftware: z.strictObject({
      driver: z.boolean().default(false),
      toolkit: z.boolean().default(false),
      devicePlugin: z.boolean().default(false),
    }).prefault({}),
  })
  .prefault({});

/** Add-ons a stack can switch off or install from a mirror. */
export const addonIds = ["certManager", "gpuOperator", "kueue", "kserve", "keda", "gateway", "monitoring", "argocd"] as const;
export type AddonId = (typeof addonIds)[number];

/** What every add-on setting holds: its switch and a mirror for its chart. */
const addonBase = {
  enabled: z.boolean().default(true),
  /** A mirror of the chart repository (https:// or oci://), for sovereign and air-gapped stacks. */
  repository: z.string().regex(/^(https|oci):\/\/\S+$/, "must be an https:// or oci:// chart repository URL").optional(),
};

/** KServe serving runtimes a stack can offer its teams (ClusterServingRuntimes). */
export const servingRuntimes = ["vllm", "huggingface"] as const;
export type ServingRuntime = (typeof servingRuntimes)[number];

/** Prometheus' duration syntax for retention, e.g. 15d, 12h, 2w. */
const prometheusDuration = z.string().regex(/^[1-9][0-9]*(h|d|w|y)$/, "must be a whole number of hours, days, weeks or years such as 15d or 2w");

const gitUrl = z.string().regex(/^(https:\/\/\S+|ssh:\/\/\S+|git@[^\s:]+:\S+)$/, "must be an https://, ssh:// or git@host:path Git repository URL");

const gitops = z.strictObject({
  /** Repository holding the teams' Argo CD Applications (InferenceServices and their configs). */
  repoURL: gitUrl,
  /** Folder in the repository with the Application manifests. */
  path: z.string().min(1).regex(/^[^\s]+$/, "must be a folder path without spaces").default("."),
  /** Branch, tag or commit to follow. No default: say which one production tracks. */
  revision: z.string().min(1).regex(/^[^\s]+$/, "must be a branch, tag or commit without spaces"),
});

/** A fully qualified DNS name: lowercase labels joined by dots, at least two labels. */
const dnsName = z
  .string()
  .max(253, "must be at most 253 characters")
  .regex(/^([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?\.)+[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/, "must be a DNS name such as inference.example.com: lowercase letters, digits and '-' in dot-separated labels");

/** What one team may send through the inference gateway. */
const teamLimit = z.strictObject({
  /** Requests per minute, summed over every model the team calls; the next one gets 429. */
  requestsPerMinute: z.int().min(1).max(1_000_000),
  /** Tokens (prompt + completion) per minute on the OpenAI-compatible endpoint; unset: no token budget. */
  tokensPerMinute: z.int().min(1).max(1_000_000_000).optional(),
});
export type TeamLimit = z.infer<typeof teamLimit>;

/** How the gateway's Service is reached. */
export const gatewayExposures = ["internal", "clusterIP", "public"] as const;
export type GatewayExposure = (typeof gatewayExposures)[number];

const gateway = z
  .strictObject({
    ...addonBase,
    /**
     * The name clients call: the OpenAI-compatible endpoint is https://<hostname>/v1, and each
     * InferenceService also answers at <name>-<team>.<hostname>. Default: inference.<clusterName>.internal.
     */
    hostname: dnsName.optional(),
    /**
     * `internal` (default): a load balancer reachable only from the network; `clusterIP`: only
     * from inside the cluster; `public`: an internet-facing load balancer (the pack refuses it in
     * prod unless its config allows it).
     */
    exposure: z.enum(gatewayExposures).default("internal"),
    /**
     * Annotations for the gateway's Service. On an existing cluster, `internal` needs the one that
     * makes your load balancer implementation internal; the managed clouds get theirs by default.
     */
    serviceAnnotations: z.record(z.string().regex(/^([a-z0-9]([-a-z0-9.]*[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/, "must be an annotation key such as metallb.universe.tf/address-pool"), z.string()).default({}),
    /** A cert-manager ClusterIssuer (an ACME or company CA issuer you run) for the listener's certificate; default: a private CA the platform creates. */
    clusterIssuer: z.string().regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, "must be a ClusterIssuer name").optional(),
    /** Envoy proxy replicas. Default: 2 in prod, else 1. */
    replicas: z.int().min(1).max(20).optional(),
    /** The limit of every team not listed in teamLimits. */
    defaultTeamLimit: teamLimit.default({ requestsPerMinute: 60 }),
    /** Limits per team, keyed by team name. */
    teamLimits: z.record(z.string(), teamLimit).default({}),
  })
  .prefault({});

const addons = z
  .strictObject({
    certManager: z.strictObject(addonBase).prefault({}),
    gpuOperator: z.strictObject(addonBase).prefault({}),
    kueue: z.strictObject(addonBase).prefault({}),
    kserve: z
      .strictObject({
        ...addonBase,
        /** Cluster-wide serving runtimes to install; none by default. */
        runtimes: z.array(z.enum(servingRuntimes)).default([]),
      })
      .prefault({}),
    /** Event-driven autoscaling: serves the external-metrics API, so models scale on queue depth and tokens. */
    keda: z.strictObject(addonBase).prefault({}),
    /** One inference endpoint: Envoy Gateway and the Envoy AI Gateway, with per-team keys and limits. */
    gateway,
    monitoring: z
      .strictObject({
        ...addonBase,
        /** How long Prometheus keeps metrics. */
        retention: prometheusDuration.default("15d"),
        /** Prometheus' volume; metrics beyond 90% of it are dropped oldest first. */
        storageGiB: z.int().min(10).max(16384).default(50),
        /** Alert when a GPU node has done no work for this many hours. */
        idleGpuAlertHours: z.int().min(1).max(168).default(3),
        /** Alert when a team's allocated GPUs stay more than this share idle for an hour. */
        idleShareAlertPercent: z.int().min(1).max(100).default(50),
      })
      .prefault({}),
    argocd: z
      .strictObject({
        ...addonBase,
        /** Bootstrap GitOps: an app-of-apps that syncs the teams' serving configs from Git. */
        gitops: gitops.optional(),
      })
      .prefault({}),
  })
  .prefault({});

/** What shortens a model's first answer from zero GPU nodes (README, "Cold start"). */
const coldStart = z
  .strictObject({
    /**
     * Pull the serving image faster on GPU nodes: aws, nodeadm's FastImagePull (SOCI parallel pull,
     * experimental) with 1000 MiB/s gp3 volumes; gcp, GKE Image Streaming; azure, Artifact
     * Streaming on NAP nodes (images from a Premium ACR with streaming on). New nodes only.
     */
    fastImagePull: z.boolean().default(false),
    /**
     * A disk that already holds the serving images, attached to every new GPU node so nothing is
     * pulled: aws, an EBS snapshot of a Bottlerocket data volume (`snap-…`, on /dev/xvdb); gcp, a
     * Compute Engine image built with gke-disk-image-builder (`projects/<p>/global/images/<name>`
     * or `global/images/<name>`), as a secondary boot disk in CONTAINER_IMAGE_CACHE mode.
     */
    imageDisk: z.string().min(1).optional(),
    /** The weights the plan's cold-start model loads, in GB: 16 is an 8B-parameter model in 16-bit weights. */
    referenceModelGB: z.number().min(1).max(2000).default(16),
  })
  .prefault({});

const modelStore = z
  .strictObject({
    /**
     * Object storage in the stack's region for model weights, one private bucket (Azure: container)
     * per team, read by the team's `model-reader` service account; vLLM streams weights from it.
     */
    enabled: z.boolean().default(false),
  })
  .prefault({});

export const stackConfigSchema = z.strictObject({
  cloud: z.enum(supportedClouds),
  region: z.string().min(1),
  environment: z.enum(environments),
  jurisdiction: z.enum(jurisdictionIds),
  /** Physical cluster name, also the prefix of its IAM roles and queue. Changing it replaces the cluster. */
  clusterName: z.string().regex(/^[a-z][a-z0-9-]{0,30}[a-z0-9]$/, "must be 2-32 lowercase letters, digits and '-', starting with a letter").optional(),
  kubernetesVersion: z.enum(kubernetesVersions).default(defaultKubernetesVersion),
  network,
  apiAccess,
  systemNodes,
  gpuPools: z.array(gpuPool).min(1),
  teams: z.array(team).default([]),
  /** Let team GPU quotas add up to more than a pool's maxGpus (Kueue then arbitrates). */
  allowQuotaOvercommit: z.boolean().default(false),
  tags,
  eks,
  gke,
  aks,
  existing,
  addons,
  coldStart,
  modelStore,
});

/** The stack's settings as written, defaults applied, before cross-checks and resolution. */
export type StackSettings = z.output<typeof stackConfigSchema>;
export type GpuPoolSettings = StackSettings["gpuPools"][number];
export type TeamSettings = StackSettings["teams"][number];
export const settingNames = Object.keys(stackConfigSchema.shape) as (keyof StackSettings)[];
