import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";

/** A Kubernetes RBAC subject: what a RoleBinding names. */
export interface RbacSubject {
  readonly kind: "Group" | "User";
  readonly name: string;
}

export const rbacApiGroup = "rbac.authorization.k8s.io";

/** Binds the built-in cluster-admin role to admins the cloud's authentication names by group. */
export function clusterAdminBinding(name: string, subjects: readonly RbacSubject[], opts: pulumi.CustomResourceOptions): k8s.rbac.v1.ClusterRoleBinding {
  return new k8s.rbac.v1.ClusterRoleBinding(name, {
    metadata: { name: "gpu-platform-admins" },
    subjects: subjects.map((subject) => ({ ...subject, apiGroup: rbacApiGroup })),
    roleRef: { kind: "ClusterRole", name: "cluster-admin", apiGroup: rbacApiGroup },
  }, opts);
}
