import { CloudMock, shortHash } from "./cloud";

/** Zone letters every region has in the plan; real regions have three or four. */
const zoneLetters = ["a", "b", "c"];

/** A deterministic project number (12 digits), as `getProject` reports it. */
function projectNumber(projectId: string): string {
  return String(parseInt(shortHash(projectId).slice(0, 12), 16) % 1e12).padStart(12, "1");
}

/** A stand-in public address for the IP endpoint, in a Google range. */
function publicEndpoint(clusterName: string): string {
  const hash = shortHash(clusterName);
  return ["34", ...[0, 2, 4].map((i) => String(parseInt(hash.slice(i, i + 2), 16)))].join(".");
}

/**
 * A Private Service Connect cluster: its private endpoint is an address of the node subnetwork
 * (here a stand-in), its DNS endpoint `gke-<id>.<region>.gke.goog`.
 */
function gkeCluster(inputs: Record<string, unknown>, clusterName: string, region: string): Record<string, unknown> {
  const privateConfig = inputs.privateClusterConfig as { enablePrivateEndpoint?: boolean } | undefined;
  const privateAddress = `10.255.${parseInt(shortHash(clusterName).slice(0, 2), 16)}.2`;
  const endpoints = (inputs.controlPlaneEndpointsConfig ?? {}) as { dnsEndpointConfig?: Record<string, unknown> };
  const pem = `-----BEGIN CERTIFICATE-----\n${shortHash(`${clusterName}-ca`)}\n-----END CERTIFICATE-----\n`;
  return {
    endpoint: privateConfig?.enablePrivateEndpoint ? privateAddress : publicEndpoint(clusterName),
    masterAuth: { clusterCaCertificate: Buffer.from(pem).toString("base64") },
    privateClusterConfig: { ...privateConfig, privateEndpoint: privateAddress },
    controlPlaneEndpointsConfig: { ...endpoints, dnsEndpointConfig: { ...endpoints.dnsEndpointConfig, endpoint: `gke-${shortHash(clusterName)}.${region}.gke.goog` } },
  };
}

/** `name = "g2-standard-8"` → `g2-standard-8`: the only filter the program uses. */
function filteredName(filter: unknown): string | undefined {
  return typeof filter === "string" ? /name\s*=\s*"?([a-z0-9-]+)"?/.exec(filter)?.[1] : undefined;
}

/**
 * Google Cloud as the offline plan imagines it: ids in the API's documented shapes, the outputs
 * the program reads (cluster endpoint and CA, service account emails), the project number, and
 * three zones per region that offer every machine type. The project is the one the stack's gcp
 * provider names, captured when it registers (before any resource that uses it).
 */
export function gcpMock(region: string): CloudMock {
  let project = "mock-project";
  const compute = (path: string) => `https://www.googleapis.com/compute/v1/projects/${project}/${path}`;
  const email = (accountId: string) => `${accountId}@${project}.iam.gserviceaccount.com`;
  return {
    id(type, name, inputs) {
      const physicalName = (inputs.name as string | undefined) ?? name;
      const location = (inputs.location as string | undefined) ?? (inputs.region as string | undefined) ?? region;
      switch (type) {
        case "gcp:compute/network:Network":
          return `projects/${project}/global/networks/${physicalName}`;
        case "gcp:compute/subnetwork:Subnetwork":
          return `projects/${project}/regions/${location}/subnetworks/${physicalName}`;
        case "gcp:compute/router:Router":
          return `projects/${project}/regions/${location}/routers/${physicalName}`;
        case "gcp:compute/firewall:Firewall":
          return `projects/${project}/global/firewalls/${physicalName}`;
        case "gcp:kms/keyRing:KeyRing":
          return `projects/${project}/locations/${location}/keyRings/${physicalName}`;
        case "gcp:kms/cryptoKey:CryptoKey":
          return `${String(inputs.keyRing)}/cryptoKeys/${physicalName}`;
        case "gcp:container/cluster:Cluster":
          return `projects/${project}/locations/${location}/clusters/${physicalName}`;
        case "gcp:container/nodePool:NodePool":
          return `${project}/${location}/${String(inputs.cluster)}/${physicalName}`;
        case "gcp:serviceaccount/account:Account":
          return `projects/${project}/serviceAccounts/${email(String(inputs.accountId))}`;
        default:
          return undefined;
      }
    },
    state(type, _name, inputs, physicalName) {
      if (type === "pulumi:providers:gcp" && typeof inputs.project === "string") project = inputs.project;
      if (!type.startsWith("gcp:")) return undefined;
      switch (type) {
        case "gcp:container/cluster:Cluster":
          return { ...gkeCluster(inputs, physicalName, String(inputs.location ?? region)), selfLink: `https://container.googleapis.com/v1/projects/${project}/locations/${String(inputs.location)}/clusters/${physicalName}` };
        case "gcp:serviceaccount/account:Account": {
          const address = email(String(inputs.accountId));
          return { email: address, member: `serviceAccount:${address}`, name: `projects/${project}/serviceAccounts/${address}`, uniqueId: String(parseInt(shortHash(address).slice(0, 13), 16)) };
        }
        case "gcp:compute/network:Network":
          return { selfLink: compute(`global/networks/${physicalName}`) };
        case "gcp:compute/subnetwork:Subnetwork":
          return { selfLink: compute(`regions/${String(inputs.region ?? region)}/subnetworks/${physicalName}`) };
        default:
          return undefined;
      }
    },
    call(token, args) {
      switch (token) {
        case "gcp:compute/getImage:getImage": {
          const imageProject = String(args.project ?? project);
          return { name: args.name, project: imageProject, selfLink: compute(`global/images/${String(args.name)}`).replace(`projects/${project}/`, `projects/${imageProject}/`), diskSizeGb: 120, status: "READY", id: `projects/${imageProject}/global/images/${String(args.name)}` };
        }
        case "gcp:organizations/getProject:getProject": {
          const projectId = String(args.projectId ?? project);
          return { projectId, name: projectId, number: projectNumber(projectId), id: `projects/${projectId}` };
        }
        case "gcp:compute/getZones:getZones": {
          const inRegion = String(args.region ?? region);
          return { names: zoneLetters.map((letter) => `${inRegion}-${letter}`), region: inRegion, project, id: `projects/${project}/regions/${inRegion}` };
        }
        case "gcp:compute/getMachineTypes:getMachineTypes": {
          const machine = filteredName(args.filter);
          const zone = String(args.zone);
          const machineTypes = machine ? [{ name: machine, selfLink: compute(`zones/${zone}/machineTypes/${machine}`), accelerators: [] }] : [];
          return { machineTypes, zone, project, filter: args.filter, id: `projects/${project}/zones/${zone}` };
        }
        default:
          return undefined;
      }
    },
  };
}
