import type * as pulumi from "@pulumi/pulumi";

/*
 * What a cluster leaves in the account when the Kubernetes side could not clean up: the EC2
 * instances Karpenter launched and the EBS volumes of claims nobody deleted. Swept on destroy.
 * Runs inside Pulumi's dynamic-provider host as serialized text, so it imports nothing at run time
 * and calls the AWS CLI (already required: EKS kubeconfigs call `aws eks get-token`).
 */

export interface SweepInputs {
  readonly clusterName: string;
  readonly region: string;
  /** Karpenter's node role: the instance profiles Karpenter made for it must go before it can. */
  readonly nodeRoleName: string;
  /** The CLI to call; `aws` on the path unless a test says otherwise. */
  readonly awsCli: string;
}

/**
 * The filters Karpenter itself lists its instances with (v1.14 `instance.List`): every instance it
 * launches carries `karpenter.sh/nodepool`, `karpenter.k8s.aws/ec2nodeclass` and
 * `eks:eks-cluster-name` from the moment it is created.
 */
export function karpenterInstanceFilters(clusterName: string): string[] {
  return [
    "Name=tag-key,Values=karpenter.sh/nodepool",
    "Name=tag-key,Values=karpenter.k8s.aws/ec2nodeclass",
    `Name=tag:eks:eks-cluster-name,Values=${clusterName}`,
    "Name=instance-state-name,Values=pending,running,shutting-down,stopping,stopped",
  ];
}

/** The commands that find and terminate a cluster's Karpenter instances by hand. */
export function manualSweepCommands(clusterName: string, region: string): string[] {
  const ids = `aws ec2 describe-instances --region ${region} --filters ${karpenterInstanceFilters(clusterName).join(" ")} --query 'Reservations[].Instances[].InstanceId' --output text`;
  return [ids, `aws ec2 terminate-instances --region ${region} --instance-ids $(${ids})`];
}

function aws(cli: string, args: string[]): Promise<string> {
  const { execFile } = require("child_process") as typeof import("child_process");
  return new Promise((resolve, reject) => {
    execFile(cli, args, { timeout: 30 * 60_000, maxBuffer: 16 << 20 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${cli} ${args.slice(0, 2).join(" ")} failed: ${String(stderr || error.message).trim().split("\n").slice(-3).join(" ")}`));
      else resolve(stdout);
    });
  });
}

/** Terminates every Karpenter instance of the cluster and waits until they are gone; returns their ids. */
export async function terminateLeftoverInstances(inputs: SweepInputs): Promise<string[]> {
  const region = ["--region", inputs.region];
  const listed = await aws(inputs.awsCli, ["ec2", "describe-instances", ...region, "--filters", ...karpenterInstanceFilters(inputs.clusterName),
    "--query", "Reservations[].Instances[].InstanceId", "--output", "json"]);
  const ids = (JSON.parse(listed || "[]") as string[]).filter((id) => typeof id === "string");
  if (ids.length === 0) return [];
  await aws(inputs.awsCli, ["ec2", "terminate-instances", ...region, "--instance-ids", ...ids]);
  // Their network interfaces must be gone before the subnets and security groups can go.
  await aws(inputs.awsCli, ["ec2", "wait", "instance-terminated", ...region, "--instance-ids", ...ids]);
  return ids;
}

/**
 * Removes the instance profiles Karpenter created for its node role (it deletes them itself only
 * while its EC2NodeClass can still be finalized); IAM refuses to delete a role still in one.
 */
export async function deleteLeftoverInstanceProfiles(inputs: SweepInputs): Promise<string[]> {
  const listed = await aws(inputs.awsCli, ["iam", "list-instance-profiles-for-role", "--role-name", inputs.nodeRoleName,
    "--query", "InstanceProfiles[].InstanceProfileName", "--output", "json"]);
  const names = (JSON.parse(listed || "[]") as string[]).filter((name) => typeof name === "string");
  for (const name of names) {
    await aws(inputs.awsCli, ["iam", "remove-role-from-instance-profile", "--instance-profile-name", name, "--role-name", inputs.nodeRoleName]);
    await aws(inputs.awsCli, ["iam", "delete-instance-profile", "--instance-profile-name", name]);
  }
  return names;
}

/** Does nothing until deleted; on delete, nothing Karpenter launched may outlive the cluster. */
export const sweepProvider: pulumi.dynamic.ResourceProvider = {
  async create(inputs: SweepInputs) {
    return { id: `karpenter-instances-${inputs.clusterName}`, outs: inputs };
  },
  async diff(_id: string, olds: SweepInputs, news: SweepInputs) {
    const changed = (key: keyof SweepInputs) => olds[key] !== news[key];
    return { changes: changed("clusterName") || changed("region") || changed("nodeRoleName") || changed("awsCli"), replaces: changed("clusterName") ? ["clusterName"] : [] };
  },
  async update(_id: string, _olds: SweepInputs, news: SweepInputs) {
    return { outs: news };
  },
  async delete(_id: string, props: SweepInputs) {
    await terminateLeftoverInstances(props);
    await deleteLeftoverInstanceProfiles(props);
  },
};

/** The tag the platform's storage class puts on every EBS volume it provisions (`tagSpecification_1`). */
export const volumeClusterTag = "gpu-platform.io/cluster";

export interface VolumeSweepInputs {
  readonly clusterName: string;
  readonly region: string;
  readonly awsCli: string;
  /** How long to wait for volumes still attached, or still being deleted by the CSI driver. */
  readonly waitSeconds: number;
  readonly pollSeconds: number;
}

/**
 * Deletes the cluster's EBS volumes once they are detached: run after the releases that claimed
 * them are gone and before the CSI driver is, it catches what the driver had no time (or no
 * cluster) to delete. A volume still attached when the wait runs out fails the destroy by name.
 */
export async function deleteLeftoverVolumes(inputs: VolumeSweepInputs): Promise<string[]> {
  const region = ["--region", inputs.region];
  const deadline = Date.now() + inputs.waitSeconds * 1000;
  const deleted: string[] = [];
  for (;;) {
    const listed = await aws(inputs.awsCli, ["ec2", "describe-volumes", ...region, "--filters", `Name=tag:${volumeClusterTag},Values=${inputs.clusterName}`,
      "--query", "Volumes[].{id:VolumeId,state:State}", "--output", "json"]);
    const volumes = (JSON.parse(listed || "[]") as { id: string; state: string }[]).filter((v) => v.state !== "deleting" && v.state !== "deleted");
    for (const volume of volumes.filter((v) => v.state === "available")) {
      try {
        await aws(inputs.awsCli, ["ec2", "delete-volume", ...region, "--volume-id", volume.id]);
        deleted.push(volume.id);
      } catch (error) {
        // The CSI driver may delete it between the listing and here.
        if (!/InvalidVolume\.NotFound/.test((error as Error).message)) throw error;
      }
    }
    const attached = volumes.filter((v) => v.state !== "available");
    if (attached.length === 0) return deleted;
    if (Date.now() >= deadline) {
      throw new Error(`EBS volumes of ${inputs.clusterName} still attached after ${inputs.waitSeconds} s: ${attached.map((v) => `${v.id} (${v.state})`).join(", ")}; ` +
        `detach them (or terminate their instance) and run pulumi destroy again, or delete them with aws ec2 delete-volume --region ${inputs.region} --volume-id <id>`);
    }
    await new Promise((resolve) => setTimeout(resolve, inputs.pollSeconds * 1000));
  }
}

/** Does nothing until deleted; on delete, no volume of the cluster outlives it. */
export const volumeSweepProvider: pulumi.dynamic.ResourceProvider = {
  async create(inputs: VolumeSweepInputs) {
    return { id: `ebs-volumes-${inputs.clusterName}`, outs: inputs };
  },
  async diff(_id: string, olds: VolumeSweepInputs, news: VolumeSweepInputs) {
    const changed = (key: keyof VolumeSweepInputs) => olds[key] !== news[key];
    return { changes: (["clusterName", "region", "awsCli", "waitSeconds", "pollSeconds"] as const).some(changed), replaces: changed("clusterName") ? ["clusterName"] : [] };
  },
  async update(_id: string, _olds: VolumeSweepInputs, news: VolumeSweepInputs) {
    return { outs: news };
  },
  async delete(_id: string, props: VolumeSweepInputs) {
    await deleteLeftoverVolumes(props);
  },
};
