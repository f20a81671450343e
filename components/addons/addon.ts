import * as pulumi from "@pulumi/pulumi";
import type { PlatformConfig } from "../../stacks/load";
import type { AddonId } from "../../stacks/schema";
import type { ClusterHandle } from "../cluster/contract";
import type { AddonCredentials } from "./credentials";

/** What an add-on's values may depend on: the stack's settings, the cluster's facts, generated secrets. */
export interface AddonContext {
  readonly config: PlatformConfig;
  readonly cluster: ClusterHandle;
  readonly credentials: AddonCredentials;
}

/** Where an add-on's own extra resources go: its namespace, through the cluster's provider. */
export interface AddonScope {
  /** Prefix for resource names, unique per add-on. */
  readonly name: string;
  readonly namespace: string;
  readonly opts: pulumi.CustomResourceOptions;
}

export interface ChartRef {
  readonly repository: string;
  readonly chart: string;
  readonly version: string;
}

/** A web UI an add-on serves inside the cluster, reached with `kubectl port-forward`. */
export interface AddonUi {
  readonly name: string;
  readonly service: string;
  readonly port: number;
  /** The local port the README and the stack output suggest. */
  readonly localPort: number;
}

/** A Helm release declared as data; one loop installs them all. */
export interface Addon {
  /** The stack setting (`addons.<id>`) that switches it and may mirror its repository. */
  readonly id: AddonId;
  /** Helm release name, fixed so resource names inside the chart are predictable. */
  readonly release: string;
  readonly chart: ChartRef;
  readonly namespace: string;
  /** Labels on the namespace, e.g. the Pod Security level the add-on needs. */
  readonly namespaceLabels?: Readonly<Record<string, string>>;
  /** Add-ons whose release must be installed first (CRDs, webhooks). Typed, not names. */
  readonly after: readonly Addon[];
  /** Add-ons installed first when the stack has them, whose CRDs this one then uses. */
  readonly afterIfInstalled?: readonly Addon[];
  /** The chart's crds/ folder is left out: another release owns those CRDs. */
  readonly skipCrds?: boolean;
  readonly values: (ctx: AddonContext) => pulumi.Inputs;
  /** Beyond its `enabled` switch: whether the stack asks for what it brings (default: yes). */
  readonly wanted?: (config: PlatformConfig) => boolean;
  /** UIs it serves; service names follow from the fixed release name. */
  readonly uis?: readonly AddonUi[];
  /** Aggregated APIs (APIService names) it serves that the platform relies on; `npm run render` checks them. */
  readonly serves?: readonly string[];
  /** Whether it claims persistent volumes, and so waits for the cluster's storage class. */
  readonly needsStorage?: boolean;
  /** Resources the release reads at install time (e.g. a Secret named in its values). */
  readonly prerequisites?: (ctx: AddonContext, scope: AddonScope) => pulumi.Resource[];
}

/** Pod Security labels for a namespace, enforced and reported at the same level. */
export function podSecurity(level: "privileged" | "baseline" | "restricted"): Record<string, string> {
  return {
    "pod-security.kubernetes.io/enforce": level,
    "pod-security.kubernetes.io/audit": level,
    "pod-security.kubernetes.io/warn": level,
  };
}
