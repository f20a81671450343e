import { strict as assert } from "assert";
import { gkeKubeconfig } from "../../../components/gcp/kubeconfig";

describe("GKE kubeconfig", () => {
  const config = JSON.parse(gkeKubeconfig({ project: "ml-platform-eu", region: "europe-west4", clusterName: "gpu-gke-eu", dnsEndpoint: "gke-0123abcd.europe-west4.gke.goog" }));

  it("points at the DNS endpoint, whose certificate is publicly trusted, so it carries no CA", () => {
    assert.deepEqual(config.clusters, [{ name: "gke_ml-platform-eu_europe-west4_gpu-gke-eu", cluster: { server: "https://gke-0123abcd.europe-west4.gke.goog" } }]);
    assert.equal(config["current-context"], "gke_ml-platform-eu_europe-west4_gpu-gke-eu");
  });

  it("authenticates through gke-gcloud-auth-plugin, holding no credential of its own", () => {
    const [user] = config.users;
    assert.equal(user.user.exec.command, "gke-gcloud-auth-plugin");
    assert.equal(user.user.exec.apiVersion, "client.authentication.k8s.io/v1beta1");
    assert.equal(user.user.token, undefined);
    assert.equal(user.user["client-key-data"], undefined);
  });
});
