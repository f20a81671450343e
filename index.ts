import * as pulumi from "@pulumi/pulumi";
import { GpuPlatform } from "./components/platform";
import { loadStackConfig } from "./stacks/load";

// A function, so a config mistake stops the run before any resource is registered.
export = async () => {
  const config = loadStackConfig();
  const platform = new GpuPlatform(config.clusterName, { config });
  const { cluster, credentials, addons, teamQueues, gateway, modelStores } = platform;
  return {
    cloud: config.cloud,
    region: config.region,
    clusterName: cluster.name,
    clusterEndpoint: cluster.endpoint,
    kubeconfig: cluster.kubeconfig,
    oidcIssuer: cluster.oidcIssuer,
    gpuPools: cluster.gpuPools.map(({ pool }) => ({ name: pool.name, gpu: pool.gpu, maxGpus: pool.maxGpus, baselineNodes: pool.baselineNodes })),
    userInterfaces: addons.userInterfaces(),
    teamQueues,
    ...(Object.keys(modelStores).length > 0 ? { modelStores } : {}),
    ...(gateway ? {
      inferenceEndpoint: `https://${gateway.hostname}/v1`,
      ...(gateway.caCertificate ? { inferenceGatewayCa: gateway.caCertificate } : {}),
      // Secret: each team's API key (also in the team's namespace, Secret inference-api-key).
      inferenceApiKeys: pulumi.secret(pulumi.all(Object.fromEntries(gateway.teamKeys))),
    } : {}),
    // Secrets: `pulumi stack output <name> --show-secrets` prints them.
    ...(credentials.grafanaAdminPassword ? { grafanaAdminPassword: credentials.grafanaAdminPassword } : {}),
    ...(credentials.argocdAdmin ? { argocdAdminPassword: credentials.argocdAdmin.password } : {}),
  };
};
