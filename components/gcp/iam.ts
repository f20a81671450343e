import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { createHash } from "crypto";
import type { WorkloadIdentityGrant, WorkloadIdentityRequest } from "../cluster/contract";

/**
 * What a node's own identity may do, and nothing more: write logs and metrics, describe itself to
 * Cloud Monitoring, pull images from Artifact Registry. Workloads never use it: nodes run with the
 * GKE metadata server, so pods see their own Workload Identity instead.
 */
export const nodeRoles = [
  "roles/logging.logWriter",
  "roles/monitoring.metricWriter",
  "roles/monitoring.viewer",
  "roles/stackdriver.resourceMetadata.writer",
  "roles/artifactregistry.reader",
] as const;

/** Google service account ids: 6-30 characters, lowercase letters, digits and '-', starting with a letter. */
const accountIdPattern = /^[a-z][-a-z0-9]{4,28}[a-z0-9]$/;

/**
 * A service account id from a resource name: the name itself when it fits, else its start and a
 * digest of the whole, so two long names never collide and the id never changes between runs.
 */
export function accountIdFor(name: string): string {
  const cleaned = name.toLowerCase().replace(/[^-a-z0-9]/g, "-").replace(/^[^a-z]+/, "");
  if (accountIdPattern.test(cleaned)) return cleaned;
  const digest = createHash("sha256").update(name).digest("hex").slice(0, 8);
  const head = cleaned.slice(0, 21).replace(/-+$/, "");
  return `${head || "sa"}-${digest}`;
}

/** Predefined roles (`roles/…`) and custom roles of a project or organisation. */
const rolePattern = /^(roles\/[A-Za-z0-9_.]+|(projects|organizations)\/[^/]+\/roles\/[A-Za-z0-9_.]+)$/;

/** A project IAM grant per role, for one member. */
export function projectRoles(name: string, project: string, member: pulumi.Input<string>, roles: readonly string[], opts: pulumi.CustomResourceOptions): gcp.projects.IAMMember[] {
  return roles.map((role, i) => new gcp.projects.IAMMember(`${name}-${i}`, { project, role, member }, opts));
}

export interface WorkloadIdentityArgs {
  readonly project: string;
  readonly clusterName: string;
  readonly request: WorkloadIdentityRequest;
  readonly provider: gcp.Provider;
}

/**
 * A Google service account that one Kubernetes service account impersonates through GKE Workload
 * Identity, with the project roles the request names. GCP has no inline policy documents, so
 * `managedPolicies` are role names (`roles/storage.objectViewer`, or a custom role's full name),
 * and a `policy` is refused.
 *
 * The Kubernetes service account must carry the annotation
 * `iam.gke.io/gcp-service-account: <email>` for its pods to act as this account; `email` is
 * exported for whoever creates it.
 */
export class GkeWorkloadIdentity extends pulumi.ComponentResource {
  readonly email: pulumi.Output<string>;

  constructor(name: string, args: WorkloadIdentityArgs, opts: pulumi.ComponentResourceOptions = {}) {
    const { request, project } = args;
    const subject = `${request.namespace}/${request.serviceAccount}`;
    if (request.policy !== undefined) {
      throw new Error(`workload identity ${name} (${subject}): GCP has no inline IAM policy documents; name predefined or custom roles in managedPolicies instead`);
    }
    const roles = request.managedPolicies ?? [];
    const wrong = roles.filter((role) => !rolePattern.test(role));
    if (wrong.length > 0) {
      throw new Error(`workload identity ${name} (${subject}): ${wrong.join(", ")} ${wrong.length === 1 ? "is not an IAM role" : "are not IAM roles"}; on GCP managedPolicies are role names such as roles/storage.objectViewer or projects/<project>/roles/<custom>`);
    }
    super("gpu-platform:gcp:WorkloadIdentity", name, {}, opts);
    const child = { parent: this, provider: args.provider };
    const account = new gcp.serviceaccount.Account(name, {
      accountId: accountIdFor(name),
      displayName: `${subject} on ${args.clusterName}`,
    }, child);
    this.email = account.email;
    const grants = projectRoles(name, project, account.member, roles, child);
    // The workload pool admits exactly one Kubernetes service account, in one namespace.
    new gcp.serviceaccount.IAMMember(`${name}-workload-identity`, {
      serviceAccountId: account.name,
      role: "roles/iam.workloadIdentityUser",
      member: `serviceAccount:${project}.svc.id.goog[${subject}]`,
    }, { ...child, dependsOn: grants });
    this.registerOutputs({ email: this.email });
  }

  /** What the Kubernetes service account carries to act as this account; the identity itself is what to wait for. */
  grant(): WorkloadIdentityGrant {
    return { ready: this, serviceAccountAnnotations: { "iam.gke.io/gcp-service-account": this.email }, podLabels: {} };
  }
}
