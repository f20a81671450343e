import { strict as assert } from "assert";
import * as pulumi from "@pulumi/pulumi";
import { StackConfigError } from "../../stacks/errors";
import { parseStackConfig } from "../../stacks/load";
import { configError, devSettings, devWith, parse, stackSettings } from "../helpers/settings";

const pool = (changes: Record<string, unknown>) => [{ ...(devSettings().gpuPools as object[])[0], ...changes }];

describe("stack config loading", () => {
  it("resolves the dev stack into typed settings with defaults filled in", () => {
    const config = parse(devSettings());
    assert.equal(config.cloud, "aws");
    assert.equal(config.region, "eu-central-1");
    assert.equal(config.clusterName, "gpu-dev");
    assert.deepEqual(config.apiAccess, { publicCidrs: ["203.0.113.0/24"], privateCidrs: [] });
    assert.deepEqual(config.network, { mode: "create", vpcCidr: "10.40.0.0/16", availabilityZones: 3, natGateways: "single", subnetLayout: "sixZones" });
    const [l4] = config.gpuPools;
    assert.deepEqual(l4.machines.map((m) => m.name), ["g6.2xlarge"]);
    assert.equal(l4.baselineNodes, 0);
    assert.equal(l4.burstGpus, 8);
    assert.equal(config.protect, false);
  });

  it("adds environment, jurisdiction, stack and managed-by to the stack's own tags", () => {
    const config = parse(devSettings());
    assert.deepEqual(config.tags, { owner: "ml-platform", "cost-center": "4711", environment: "dev", jurisdiction: "eu", stack: "dev", "managed-by": "pulumi" });
  });

  it("makes prod stacks protected, zone-redundant and keep logs for a year", () => {
    const config = parse(devWith({ environment: "prod" }), "prod-eu");
    assert.equal(config.protect, true);
    assert.equal(config.network.mode === "create" && config.network.natGateways, "perZone");
    assert.equal(config.eks.logRetentionDays, 365);
  });

  it("counts baseline GPUs against the pool's ceiling and leaves the rest to the autoscaler", () => {
    const [l4] = parse(devWith({ gpuPools: pool({ instanceTypes: ["g6.12xlarge"], maxGpus: 12, baselineNodes: 2 }) })).gpuPools;
    assert.equal(l4.baselineGpus, 8);
    assert.equal(l4.burstGpus, 4);
  });

  it("uses every catalog machine of the model, smallest first, when a pool lists none", () => {
    const [l4] = parse(devWith({ gpuPools: pool({ instanceTypes: undefined, sharing: { mode: "none" } }) })).gpuPools;
    assert.ok(l4.machines.length >= 8);
    assert.equal(l4.machines[0].gpus, 1);
    assert.ok(l4.machines.every((m, i) => i === 0 || m.gpus >= l4.machines[i - 1].gpus));
  });

  it("raises a RunError so `pulumi up` prints the message without a stack trace", () => {
    assert.throws(() => parse(devWith({ region: "mars-1" })), (e: unknown) => e instanceof StackConfigError && pulumi.RunError.isInstance(e));
  });

  describe("names the setting, the value and what is allowed", () => {
    it("for a region no cloud has", () => {
      const message = configError(devWith({ region: "eu-centrl-1" }));
      assert.match(message, /gpu-platform:region = "eu-centrl-1": is not a known aws region/);
      assert.match(message, /allowed in "eu": eu-central-1, /);
    });

    it("for a region outside the stack's jurisdiction", () => {
      const message = configError(devWith({ region: "us-east-1" }));
      assert.match(message, /gpu-platform:region = "us-east-1": is in jurisdiction "us", outside the stack's jurisdiction "eu"/);
    });

    it("for a missing required setting", () => {
      assert.match(configError(devWith({ cloud: undefined })), /gpu-platform:cloud = \(not set\): is required \(Invalid option: expected one of "aws"\|"gcp"\|"azure"\|"existing"\)/);
    });

    it("for a cloud the platform does not build", () => {
      assert.match(configError(devWith({ cloud: "oracle" })), /gpu-platform:cloud = "oracle": Invalid option: expected one of "aws"\|"gcp"\|"azure"\|"existing"/);
    });

    it("for a misspelt setting, listing the known ones", () => {
      const message = configError(devWith({ gpuPool: [] }));
      assert.match(message, /gpu-platform:gpuPool = \[\]: unknown setting\. Known settings: cloud, region/);
    });

    it("for an unknown key inside a pool", () => {
      assert.match(configError(devWith({ gpuPools: pool({ maxGPUs: 4 }) })), /gpu-platform:gpuPools\[0\]\.maxGPUs = 4: unknown setting/);
    });

    it("for a value of the wrong type", () => {
      assert.match(configError(devWith({ gpuPools: pool({ maxGpus: "eight" }) })), /gpu-platform:gpuPools\[0\]\.maxGpus = "eight": Invalid input: expected number, received string/);
    });

    it("for a structured setting written as plain text", () => {
      const raw = { "gpu-platform:cloud": "aws", "gpu-platform:gpuPools": "l4" };
      assert.throws(() => parseStackConfig("dev", raw), /gpu-platform:gpuPools = "l4": must be a YAML value/);
    });

    it("for an API endpoint opened to the whole internet", () => {
      assert.match(configError(devWith({ apiAccess: { publicCidrs: ["0.0.0.0/0"] } })), /gpu-platform:apiAccess\.publicCidrs\[0\] = "0.0.0.0\/0": is too broad/);
    });

    it("for a malformed CIDR", () => {
      assert.match(configError(devWith({ apiAccess: { publicCidrs: ["203.0.113.300/24"] } })), /publicCidrs\[0\] = "203.0.113.300\/24": must be an IPv4 CIDR/);
    });

    it("for a pool bound below the smallest machine's GPU count", () => {
      const message = configError(devWith({ gpuPools: pool({ gpu: "A100", instanceTypes: undefined, maxGpus: 4 }), teams: [] }));
      assert.match(message, /gpuPools\[0\]\.maxGpus = 4: is below the 8 GPUs of the smallest machine in the pool \(p4d\.24xlarge\)/);
    });

    it("for baseline nodes that hold more GPUs than the pool may", () => {
      const message = configError(devWith({ gpuPools: pool({ instanceTypes: ["g6.12xlarge"], baselineNodes: 3 }) }));
      assert.match(message, /gpuPools\[0\]\.baselineNodes = 3: 3 × 4 GPUs \(g6\.12xlarge\) exceeds maxGpus 8/);
    });

    it("for an instance type that carries another GPU", () => {
      assert.match(configError(devWith({ gpuPools: pool({ instanceTypes: ["g5.xlarge"] }) })), /instanceTypes\[0\] = "g5.xlarge": carries A10G, not L4; L4 machine types: g6.xlarge/);
    });

    it("for an instance type the catalog does not know", () => {
      assert.match(configError(devWith({ gpuPools: pool({ instanceTypes: ["g99.xlarge"] }) })), /"g99.xlarge": is not in the GPU catalog/);
    });

    it("for MIG on a GPU without MIG", () => {
      assert.match(configError(devWith({ gpuPools: pool({ sharing: { mode: "mig", profile: "all-1g.10gb" } }) })), /sharing\.mode = "mig": L4 has no MIG support/);
    });

    it("for two pools with one name", () => {
      const [l4] = pool({});
      assert.match(configError(devWith({ gpuPools: [l4, l4] })), /gpuPools\[1\]\.name = "l4": pool names must be unique/);
    });

    it("for two teams with one name", () => {
      const teams = devSettings().teams as object[];
      assert.match(configError(devWith({ teams: [teams[0], teams[0]] })), /teams\[1\]\.name = "search": team names must be unique/);
    });

    it("for a team quota on a pool that does not exist", () => {
      const teams = [{ name: "search", gpus: { h100: 2 }, cpu: "8", memory: "32Gi" }];
      assert.match(configError(devWith({ teams })), /teams\[0\]\.gpus\.h100 = 2: names no GPU pool; pools: l4/);
    });

    it("for team quotas that add up to more than the pool holds", () => {
      const teams = (devSettings().teams as object[]).map((t) => ({ ...t, gpus: { l4: 6 } }));
      assert.match(configError(devWith({ teams })), /gpuPools\[0\]\.maxGpus = 8: team quotas for pool "l4" \(teams.search: 6, teams.assistants: 6\) add up to 12 GPUs/);
    });

    it("for a required tag left out, and a tag the platform sets itself", () => {
      const message = configError(devWith({ tags: { owner: "ml-platform", environment: "dev" } }));
      assert.match(message, /gpu-platform:tags\.cost-center .*tag "cost-center" is required/);
      assert.match(message, /gpu-platform:tags\.environment .*set by the platform/);
    });

    it("for an existing network given only half", () => {
      assert.match(configError(devWith({ network: { subnetIds: ["subnet-0a1", "subnet-0b2"] } })), /gpu-platform:network = .*needs both vpcId and subnetIds/);
    });

    it("for VPC settings mixed with an existing network", () => {
      const network = { vpcId: "vpc-0abc", subnetIds: ["subnet-0a1", "subnet-0b2"], vpcCidr: "10.0.0.0/16" };
      assert.match(configError(devWith({ network })), /network\.vpcCidr = "10.0.0.0\/16": applies only when the platform creates the VPC/);
    });

    it("for a system group whose minimum exceeds its maximum", () => {
      assert.match(configError(devWith({ systemNodes: { min: 5, max: 3 } })), /systemNodes\.min = 5: must not exceed systemNodes\.max \(3\)/);
    });

    it("for an unsupported Kubernetes version", () => {
      assert.match(configError(devWith({ kubernetesVersion: "1.29" })), /gpu-platform:kubernetesVersion = "1.29": Invalid option: expected one of "1.35"\|"1.36"/);
    });
  });

  it("reports every problem at once, not just the first", () => {
    const message = configError(devWith({ environment: "qa", gpuPools: pool({ maxGpus: 0 }) }));
    assert.match(message, /has 2 configuration errors/);
    assert.match(message, /gpu-platform:environment = "qa"/);
    assert.match(message, /gpu-platform:gpuPools\[0\]\.maxGpus = 0/);
  });

  it("accepts quotas above a pool's bound when the stack allows overcommit", () => {
    const teams = (devSettings().teams as object[]).map((t) => ({ ...t, gpus: { l4: 6 } }));
    assert.doesNotThrow(() => parse(devWith({ teams, allowQuotaOvercommit: true })));
  });

  it("accepts an existing VPC and its subnets", () => {
    const config = parse(devWith({ network: { vpcId: "vpc-0abc", subnetIds: ["subnet-0a1", "subnet-0b2"] } }));
    assert.deepEqual(config.network, { mode: "existing", vpcId: "vpc-0abc", subnetIds: ["subnet-0a1", "subnet-0b2"] });
  });
});

describe("settings that depend on the kind of cluster", () => {
  const pools = [{ name: "l4", gpu: "L4", maxGpus: 8 }];
  const on = (cloud: string, region: string, changes: Record<string, unknown> = {}) =>
    devWith({ cloud, region, gpuPools: pools, teams: [], eks: undefined, network: undefined, ...changes });

  it("defaults the system machine type per cloud", () => {
    assert.equal(parse(devWith({ systemNodes: { min: 2, max: 3 } })).systemNodes.instanceType, "m7i.xlarge");
  });

  it("names the machine-type format of the stack's cloud", () => {
    assert.match(configError(devWith({ systemNodes: { instanceType: "Standard_D4s_v5", min: 2, max: 3 } })), /systemNodes\.instanceType = "Standard_D4s_v5": must be an EC2 instance type such as m7i\.xlarge/);
    assert.match(configError(on("azure", "westeurope", { systemNodes: { instanceType: "m7i.xlarge" }, apiAccess: { publicCidrs: ["203.0.113.0/24"] } })), /must be an Azure VM size such as Standard_D4s_v5/);
  });

  it("asks for the Google Cloud project on gcp", () => {
    assert.match(configError(on("gcp", "europe-west4")), /gke\.project = \(not set\): is required on gcp/);
  });

  it("refuses tags Google Cloud cannot hold as labels", () => {
    const message = configError(on("gcp", "europe-west4", { gke: { project: "ml-platform-eu" }, tags: { owner: "ML Platform", "cost-center": "4711" } }));
    assert.match(message, /tags\.owner = "ML Platform": Google Cloud labels need lowercase keys/);
  });

  it("refuses a private API endpoint on azure, where Node Auto Provisioning needs a public one", () => {
    assert.match(configError(on("azure", "westeurope", { apiAccess: { publicCidrs: [] } })), /apiAccess\.publicCidrs = \[\]: AKS Node Auto Provisioning does not support private clusters/);
  });

  it("refuses another cloud's settings block, naming the stack's cloud", () => {
    assert.match(configError(on("gcp", "europe-west4", { gke: { project: "ml-platform-eu" }, aks: { tier: "Free" } })), /gpu-platform:aks = .*applies only when cloud is azure; this stack's cloud is gcp/);
    assert.match(configError(devWith({ gke: { project: "ml-platform-eu" } })), /gpu-platform:gke = .*applies only when cloud is gcp; this stack's cloud is aws/);
  });

  it("keeps AWS network options to aws", () => {
    assert.match(configError(on("gcp", "europe-west4", { gke: { project: "ml-platform-eu" }, network: { natGateways: "perZone" } })), /network\.natGateways = "perZone": applies only on aws/);
  });

  it("checks the region against the cloud's own region list", () => {
    assert.match(configError(on("gcp", "eu-central-1", { gke: { project: "ml-platform-eu" } })), /region = "eu-central-1": is not a known gcp region/);
  });

  it("refuses a mixed MIG layout, whose slices one quota cannot count", () => {
    const message = configError(on("gcp", "europe-west4", { gke: { project: "ml-platform-eu" }, gpuPools: [{ name: "a100", gpu: "A100", maxGpus: 8, sharing: { mode: "mig", profile: "all-balanced" } }] }));
    assert.match(message, /gpuPools\[0\]\.sharing\.profile = "all-balanced": A100 has no MIG profile balanced the platform can count in quotas/);
  });

  it("defaults the AKS tier from the environment", () => {
    assert.equal(parse(devWith({ environment: "prod" })).aks.tier, "Standard");
    assert.equal(parse(devWith({})).aks.tier, "Free");
  });
});

describe("GPU availability per region", () => {
  it("refuses a GPU the stack's region does not offer, naming regions in the jurisdiction that do", () => {
    const message = configError(devWith({ gpuPools: [{ name: "h200", gpu: "H200", maxGpus: 8 }], teams: [] }));
    assert.match(message, /gpuPools\[0\]\.gpu = "H200": is not offered in eu-central-1; (aws regions in "eu" that offer it: [a-z0-9-, ]+|no aws region in "eu" offers it)/);
  });

  it("accepts a GPU the region offers", () => {
    assert.equal(parse(devWith({})).gpuPools[0].gpu, "L4");
  });
});

describe("AKS network and access checks", () => {
  const azure = (changes: Record<string, unknown>) =>
    devWith({ cloud: "azure", region: "westeurope", gpuPools: [{ name: "a100", gpu: "A100-80GB", maxGpus: 8 }], teams: [], eks: undefined, network: undefined, apiAccess: { publicCidrs: ["203.0.113.0/24"] }, aks: { adminGroupObjectIds: ["00000000-0000-4000-8000-000000000001"] }, ...changes });

  it("asks for an admin group, since AKS local accounts are off", () => {
    assert.match(configError(azure({ aks: {} })), /aks\.adminGroupObjectIds = \[\]: is required on azure/);
  });

  it("refuses a VNet range that overlaps the pod and service ranges", () => {
    assert.match(configError(azure({ network: { vpcCidr: "100.64.0.0/16" } })), /network\.vpcCidr = "100\.64\.0\.0\/16": overlaps 100\.64\.0\.0\/10/);
  });

  it("refuses tag keys Azure cannot store", () => {
    assert.match(configError(azure({ tags: { owner: "ml", "cost-center": "1", "team/area": "x" } })), /tags\.team\/area = "x": Azure tag keys may not contain/);
  });
});

describe("MIG profiles and GKE ranges", () => {
  const a100 = (profile: string) => devWith({ gpuPools: [{ name: "a100", gpu: "A100", maxGpus: 8, sharing: { mode: "mig", profile } }], teams: [] });

  it("accepts a MIG profile the model has and refuses one it lacks, listing those it has", () => {
    assert.equal(parse(a100("all-1g.5gb")).gpuPools[0].sharing.mode, "mig");
    assert.match(configError(a100("all-1g.18gb")), /sharing\.profile = "all-1g\.18gb": A100 has no MIG profile 1g\.18gb the platform can count in quotas; use one of all-1g\.5gb, /);
  });

  it("tells an old stack file that gke.controlPlaneCidr is gone and why, rather than calling it unknown", () => {
    const settings = devWith({ cloud: "gcp", region: "europe-west4", eks: undefined, apiAccess: undefined, teams: [], systemNodes: undefined, gpuPools: [{ name: "l4", gpu: "L4", maxGpus: 8 }], gke: { project: "ml-platform-eu", controlPlaneCidr: "172.16.0.0/28" } });
    assert.match(configError(settings), /gke\.controlPlaneCidr = "172\.16\.0\.0\/28": is no longer used: GKE control planes now use Private Service Connect/);
  });
});

describe("how pulumi up reaches the API, and who teams are", () => {
  const ssoRole = "arn:aws:iam::123456789012:role/aws-reserved/sso.amazonaws.com/eu-central-1/AWSReservedSSO_search-ml_0a1b2c";
  const team = (group: string) => [{ name: "search", gpus: { l4: 4 }, cpu: "8", memory: "32Gi", group }];
  const gcp = (changes: Record<string, unknown>) => devWith({ cloud: "gcp", region: "europe-west4", eks: undefined, apiAccess: undefined, systemNodes: undefined, network: undefined, gpuPools: [{ name: "l4", gpu: "L4", maxGpus: 8 }], gke: { project: "ml-platform-eu", securityGroup: "gke-security-groups@example.com" }, ...changes });
  const azure = (changes: Record<string, unknown>) => devWith({ cloud: "azure", region: "westeurope", eks: undefined, systemNodes: undefined, gpuPools: [{ name: "a100", gpu: "A100-80GB", maxGpus: 8 }], teams: [], apiAccess: { publicCidrs: ["203.0.113.0/24"] }, aks: { adminGroupObjectIds: ["00000000-0000-4000-8000-000000000001"] }, ...changes });

  it("refuses an EKS stack with no way to its API, naming both settings and why", () => {
    const message = configError(devWith({ apiAccess: undefined }));
    assert.match(message, /gpu-platform:apiAccess = \{"publicCidrs":\[\],"privateCidrs":\[\]\}: gives pulumi up no way to the Kubernetes API/);
    assert.match(message, /apiAccess\.publicCidrs to the CI runners' egress addresses/);
    assert.match(message, /apiAccess\.privateCidrs to networks connected to the VPC/);
  });

  it("accepts either path on EKS: allow-listed public networks or networks connected to the VPC", () => {
    assert.deepEqual(parse(devWith({ apiAccess: { privateCidrs: ["10.200.0.0/20"] } })).apiAccess, { publicCidrs: [], privateCidrs: ["10.200.0.0/20"] });
    assert.deepEqual(parse(devWith({ apiAccess: { publicCidrs: ["198.51.100.7/32"] } })).apiAccess.publicCidrs, ["198.51.100.7/32"]);
  });

  it("refuses both EKS paths at once, since a public endpoint's name resolves to public addresses outside the VPC", () => {
    assert.match(configError(devWith({ apiAccess: { publicCidrs: ["203.0.113.0/24"], privateCidrs: ["10.200.0.0/20"] } })),
      /apiAccess\.privateCidrs = \["10\.200\.0\.0\/20"\]: cannot be combined with apiAccess\.publicCidrs: .* Give one path/);
  });

  it("keeps privateCidrs to aws, saying how the other clouds are reached", () => {
    assert.match(configError(gcp({ teams: [], apiAccess: { privateCidrs: ["10.0.0.0/8"] } })), /apiAccess\.privateCidrs = \["10\.0\.0\.0\/8"\]: applies only on aws; GKE is reached through its DNS endpoint/);
    assert.match(configError(azure({ apiAccess: { publicCidrs: ["203.0.113.0/24"], privateCidrs: ["10.0.0.0/8"] } })), /applies only on aws; the AKS API is public, limited to apiAccess\.publicCidrs/);
  });

  it("asks for the IAM role a team signs in with on EKS, or SSO groups when an identity provider is set", () => {
    assert.match(configError(devWith({ teams: team("search-ml") })), /teams\[0\]\.group = "search-ml": must be the IAM role ARN the team's members assume .* or set eks\.identityProvider/);
    assert.equal(parse(devWith({ teams: team(ssoRole) })).teams[0].group, ssoRole);
    const sso = { identityProvider: { issuerUrl: "https://login.example.com", clientId: "k8s" } };
    assert.equal(parse(devWith({ teams: team("search-ml"), eks: sso })).teams[0].group, "search-ml");
    assert.match(configError(devWith({ teams: team("system:masters"), eks: sso })), /teams\[0\]\.group = "system:masters": may not start with system:/);
  });

  it("refuses a team role that is also an admin role, since EKS holds one access entry per role", () => {
    assert.match(configError(devWith({ teams: team(ssoRole), eks: { adminRoleArns: [ssoRole] } })), /teams\[0\]\.group = .*: is also in eks\.adminRoleArns/);
  });

  it("checks the SSO provider's issuer and admin groups", () => {
    assert.match(configError(devWith({ eks: { identityProvider: { issuerUrl: "http://login.example.com", clientId: "k8s" } } })), /eks\.identityProvider\.issuerUrl = "http:\/\/login\.example\.com": must be the provider's https:\/\/ issuer URL/);
    assert.match(configError(devWith({ eks: { identityProvider: { issuerUrl: "https://login.example.com", clientId: "k8s", adminGroups: ["system:masters"] } } })), /eks\.identityProvider\.adminGroups\[0\] = "system:masters": may not start with system:/);
  });

  it("asks for Google Group emails on GKE, and for the security group that makes GKE read them", () => {
    assert.match(configError(gcp({ teams: team("search-ml") })), /teams\[0\]\.group = "search-ml": must be a Google Group's email address/);
    assert.equal(parse(gcp({ teams: team("search-ml@example.com") })).teams[0].group, "search-ml@example.com");
    const withoutGroups = gcp({ teams: team("search-ml@example.com"), gke: { project: "ml-platform-eu", adminGroups: ["admins@example.com"] } });
    const message = configError(withoutGroups);
    assert.match(message, /teams\[0\]\.group = "search-ml@example\.com": needs gke\.securityGroup/);
    assert.match(message, /gke\.adminGroups = \["admins@example\.com"\]: needs gke\.securityGroup/);
    assert.match(configError(gcp({ teams: [], gke: { project: "ml-platform-eu", securityGroup: "rbac@example.com" } })), /gke\.securityGroup = "rbac@example\.com": must be gke-security-groups@<your domain>/);
  });

  it("asks for Entra group object ids on AKS, since its tokens carry ids", () => {
    assert.match(configError(azure({ teams: [{ name: "search", gpus: { a100: 2 }, cpu: "8", memory: "32Gi", group: "search-ml" }] })), /teams\[0\]\.group = "search-ml": must be an Entra ID group object id/);
    assert.equal(parse(azure({ teams: [{ name: "search", gpus: { a100: 2 }, cpu: "8", memory: "32Gi", group: "5b2e8c1d-3f4a-4e6b-9c7d-1a2b3c4d5e6f" }] })).teams[0].group, "5b2e8c1d-3f4a-4e6b-9c7d-1a2b3c4d5e6f");
  });
});

describe("shared GPU pools on Karpenter", () => {
  const l4 = (changes: Record<string, unknown>) => devWith({ gpuPools: [{ name: "l4", gpu: "L4", maxGpus: 8, sharing: { mode: "time-slicing", replicas: 2 }, ...changes }] });

  it("asks for machines of one size, naming GPUs and vCPUs of each, since vCPUs are what bound a shared pool", () => {
    const message = configError(l4({ instanceTypes: ["g6.xlarge", "g6.2xlarge"] }));
    assert.match(message, /gpuPools\[0\]\.instanceTypes = \["g6\.xlarge","g6\.2xlarge"\]: a shared pool must launch machines of one size/);
    assert.match(message, /g6\.xlarge: 1 GPU, 4 vCPU; g6\.2xlarge: 1 GPU, 8 vCPU/);
    assert.match(configError(l4({})), /gpuPools\[0\]\.sharing = .*one size/, "the catalog's sizes differ too");
  });

  it("accepts a shared pool of one size, and any mix when GPUs are whole", () => {
    assert.equal(parse(l4({ instanceTypes: ["g6.12xlarge"] })).gpuPools[0].unitsPerGpu, 2);
    assert.equal(parse(l4({ instanceTypes: ["g6.xlarge", "g6.12xlarge"], sharing: { mode: "none" } })).gpuPools[0].machines.length, 2);
  });
});

describe("GPUs Google offers only as spot", () => {
  it("refuses an on-demand pool of A3 High machines with fewer than eight GPUs", () => {
    const gcp = (capacityTypes: string[]) => devWith({ cloud: "gcp", region: "europe-west4", eks: undefined, apiAccess: undefined, systemNodes: undefined, network: undefined, teams: [], gke: { project: "ml-platform-eu" },
      gpuPools: [{ name: "h100", gpu: "H100", instanceTypes: ["a3-highgpu-1g"], maxGpus: 4, capacityTypes }] });
    assert.match(configError(gcp(["on-demand"])), /gpuPools\[0\]\.capacityTypes = \["on-demand"\]: a3-highgpu-1g is offered only as Spot \(or Flex-start\) VMs, never on demand/);
    assert.equal(parse(gcp(["spot"])).gpuPools[0].baselineMachine.name, "a3-highgpu-1g");
  });
});

describe("inference gateway settings", () => {
  const gateway = (settings: Record<string, unknown>, stack: Record<string, unknown> = {}) => devWith({ addons: { kserve: { runtimes: ["vllm"] }, gateway: settings }, ...stack });

  it("refuses a limit for a team the stack does not have, naming the teams it has", () => {
    assert.match(configError(gateway({ teamLimits: { serch: { requestsPerMinute: 100 } } })), /gpu-platform:addons\.gateway\.teamLimits\.serch = \{"requestsPerMinute":100\}: names no team; teams are search, assistants/);
  });

  it("refuses a hostname that is not a DNS name", () => {
    for (const hostname of ["Inference.Example.com", "inference", "https://inference.example.com", "-x.example.com"]) {
      assert.match(configError(gateway({ hostname })), /gpu-platform:addons\.gateway\.hostname = .*: must be a DNS name such as inference\.example\.com/, hostname);
    }
    assert.equal(parse(gateway({ hostname: "llm.eu-1.example.com" })).addons.gateway.hostname, "llm.eu-1.example.com");
  });

  it("defaults the hostname under .internal, which never resolves publicly, and the replicas by environment", () => {
    const config = parse(devSettings());
    assert.equal(config.addons.gateway.hostname, "inference.gpu-dev.internal");
    assert.equal(config.addons.gateway.replicas, 1);
    assert.equal(config.addons.gateway.exposure, "internal");
  });

  it("refuses an internal gateway on an existing cluster without its load balancer's internal annotation", () => {
    const onprem = (settings: Record<string, unknown>) => {
      try {
        parse({ ...stackSettings("onprem"), addons: { gateway: settings } }, "onprem");
        return "";
      } catch (error) {
        return (error as Error).message;
      }
    };
    assert.match(onprem({}), /gpu-platform:addons\.gateway\.exposure = "internal": an existing cluster has no internal load balancer the platform knows; give addons\.gateway\.serviceAnnotations/);
    assert.equal(onprem({ exposure: "clusterIP" }), "");
    assert.equal(onprem({ serviceAnnotations: { "metallb.io/address-pool": "internal" } }), "");
  });

  it("refuses annotations on a gateway that has no load balancer, and a token budget below the request limit", () => {
    assert.match(configError(gateway({ exposure: "clusterIP", serviceAnnotations: { "a.example.com/b": "c" } })), /addons\.gateway\.serviceAnnotations = .*: annotate a load balancer; with exposure clusterIP there is none/);
    assert.match(configError(gateway({ defaultTeamLimit: { requestsPerMinute: 100, tokensPerMinute: 50 } })), /addons\.gateway\.defaultTeamLimit\.tokensPerMinute = 50: is below requestsPerMinute \(100\)/);
  });

  it("asks for cert-manager, which issues the gateway's certificate", () => {
    assert.match(configError(devWith({ addons: { kserve: { enabled: false }, certManager: { enabled: false } } })), /addons\.certManager\.enabled = false: the inference gateway's TLS certificate comes from cert-manager/);
    assert.doesNotThrow(() => parse(devWith({ addons: { kserve: { enabled: false }, certManager: { enabled: false }, gateway: { enabled: false } } })));
  });
});
