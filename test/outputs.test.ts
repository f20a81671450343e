/** The stack outputs index.ts exports: what a user reads after `pulumi up`. */
import { strict as assert } from "assert";
import { plan } from "./helpers/plan";

describe("stack outputs", () => {
  for (const stack of ["dev", "gke-eu", "aks-eu", "onprem"]) {
    describe(stack, () => {
      it("names the cluster and its endpoint", async () => {
        const { outputs } = await plan(stack);
        assert.equal(typeof outputs.clusterName, "string");
        assert.ok(String(outputs.clusterName).length > 0);
        if (stack !== "onprem") assert.match(String(outputs.clusterEndpoint), /^https:\/\//);
      });

      it("gives the kubeconfig and the UI passwords only as secrets", async () => {
        const { outputs } = await plan(stack);
        for (const key of ["kubeconfig", "grafanaAdminPassword", "argocdAdminPassword"]) assert.equal(outputs[key], "[secret]", key);
      });

      it("lists each team's namespace, Kueue queues and GPU quota", async () => {
        const queues = (await plan(stack)).outputs.teamQueues as Record<string, { namespace: string; localQueue: string; clusterQueue: string; gpus: number }>;
        assert.ok(Object.keys(queues).length >= 2);
        for (const [team, q] of Object.entries(queues)) {
          assert.deepEqual([q.namespace, q.localQueue, q.clusterQueue], [team, "default", `team-${team}`]);
          assert.ok(q.gpus > 0);
        }
      });

      it("says how to reach every UI", async () => {
        const uis = (await plan(stack)).outputs.userInterfaces as { name: string; portForward: string }[];
        assert.deepEqual(uis.map((u) => u.name).sort(), ["alertmanager", "argocd", "grafana", "prometheus"]);
        assert.ok(uis.every((u) => /^kubectl -n [a-z-]+ port-forward svc\/[a-z-]+ \d+:\d+$/.test(u.portForward)));
      });
    });
  }

  it("gives the OIDC issuer where the cluster has one", async () => {
    assert.match(String((await plan("dev")).outputs.oidcIssuer), /^https:\/\/oidc\.eks\.eu-central-1\.amazonaws\.com\/id\//);
    assert.match(String((await plan("aks-eu")).outputs.oidcIssuer), /^https:\/\//);
  });

  it("lists no UI of an add-on the stack switches off", async () => {
    const { outputs } = await plan("dev", { "gpu-platform:addons": { kserve: { runtimes: ["vllm"] }, argocd: { enabled: false } } });
    assert.ok(!(outputs.userInterfaces as { name: string }[]).some((u) => u.name === "argocd"));
    assert.equal(outputs.argocdAdminPassword, undefined);
  });
});
