import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { PersistentStorage, WorkloadIdentityGrant, WorkloadIdentityRequest } from "../cluster/contract";
import { volumeClusterTag, volumeSweepProvider } from "./leftovers";

/** The name add-ons put in their volume claims. */
export const ebsStorageClassName = "gp3-encrypted";

/** The EBS CSI driver's controller service account, fixed by the EKS add-on. */
const ebsControllerServiceAccount = { namespace: "kube-system", serviceAccount: "ebs-csi-controller-sa" } as const;

export interface EbsStorageArgs {
  readonly clusterName: pulumi.Input<string>;
  /** The configured name and region, which tag and find the cluster's volumes. */
  readonly configuredClusterName: string;
  readonly region: string;
  /** The add-on version for the cluster's Kubernetes minor (stacks/eks-addon-versions.ts). */
  readonly driverVersion: string;
  /** Prod: deleting the volume sweep (which deletes the cluster's detached volumes) needs an unprotect. */
  readonly protect: boolean;
  readonly aws: aws.Provider;
  readonly kubernetes: k8s.Provider;
  /** The driver's controller runs here; the EKS add-on stays degraded until it can. */
  readonly systemNodes: readonly pulumi.Resource[];
  readonly grantWorkloadIdentity: (name: string, request: WorkloadIdentityRequest, parent: pulumi.Resource) => WorkloadIdentityGrant;
}

/**
 * EKS has no working volume provisioner out of the box: the in-tree EBS plugin is gone. This adds
 * the EBS CSI driver as an EKS add-on, with its own IAM role through Pod Identity, and an
 * encrypted gp3 class as the cluster default.
 */
export class EbsStorage extends pulumi.ComponentResource implements PersistentStorage {
  readonly className = ebsStorageClassName;
  readonly ready: pulumi.Resource[];
  /** Deleted after the GPU instances are terminated, so volumes they held are detached by then. */
  readonly leftovers: LeftoverVolumes;

  constructor(name: string, args: EbsStorageArgs, opts: pulumi.ComponentResourceOptions = {}) {
    super("gpu-platform:aws:EbsStorage", name, {}, opts);
    const identity = args.grantWorkloadIdentity(`${name}-csi`, {
      ...ebsControllerServiceAccount,
      managedPolicies: ["arn:aws:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy"],
    }, this).ready;
    const driver = new aws.eks.Addon(`${name}-csi`, {
      clusterName: args.clusterName,
      addonName: "aws-ebs-csi-driver",
      addonVersion: args.driverVersion,
    }, { parent: this, provider: args.aws, dependsOn: [identity, ...args.systemNodes] });

    const storageClass = new k8s.storage.v1.StorageClass(`${name}-gp3`, {
      metadata: {
        name: ebsStorageClassName,
        annotations: { "storageclass.kubernetes.io/is-default-class": "true" },
      },
      provisioner: "ebs.csi.aws.com",
      // Tagged, so volumes a deleted claim leaves behind can be found and removed (LeftoverVolumes).
      parameters: { type: "gp3", encrypted: "true", tagSpecification_1: `${volumeClusterTag}=${args.configuredClusterName}` },
      // Create the volume in the zone the pod lands in, not a random one.
      volumeBindingMode: "WaitForFirstConsumer",
      allowVolumeExpansion: true,
      reclaimPolicy: "Delete",
    }, { parent: this, provider: args.kubernetes, dependsOn: [driver] });
    // Volumes are deleted by the CSI driver after their claim, asynchronously: on destroy this waits
    // between the releases that claim volumes (they depend on `ready`) and the driver, and deletes
    // what is left once detached.
    this.leftovers = new LeftoverVolumes(`${name}-leftovers`, { clusterName: args.configuredClusterName, region: args.region }, { parent: this, dependsOn: [driver], protect: args.protect });
    this.ready = [driver, storageClass, this.leftovers];
    this.registerOutputs({});
  }
}

/** On `pulumi destroy`, deletes the cluster's EBS volumes that no claim's deletion removed. */
export class LeftoverVolumes extends pulumi.dynamic.Resource {
  constructor(name: string, args: { clusterName: string; region: string }, opts: pulumi.CustomResourceOptions) {
    super(volumeSweepProvider, name, { ...args, awsCli: "aws", waitSeconds: 600, pollSeconds: 10 }, opts, "aws", "LeftoverVolumes");
  }
}
