import { strict as assert } from "assert";
import { accountIdFor } from "../../../components/gcp/iam";

describe("GKE identities", () => {
  const valid = /^[a-z][-a-z0-9]{4,28}[a-z0-9]$/;

  it("uses a resource's name as its service account id when Google allows it", () => {
    assert.equal(accountIdFor("gpu-gke-eu-nodes"), "gpu-gke-eu-nodes");
  });

  it("shortens long names with a digest, so two of them never collide and the id never changes", () => {
    const a = accountIdFor("gpu-platform-production-eu-nodes");
    const b = accountIdFor("gpu-platform-production-eu-model-loader");
    assert.match(a, valid);
    assert.match(b, valid);
    assert.notEqual(a, b);
    assert.equal(accountIdFor("gpu-platform-production-eu-nodes"), a);
    assert.ok(a.startsWith("gpu-platform-producti"));
  });

  it("makes an id Google accepts from names that are too short or start oddly", () => {
    for (const name of ["gke", "1-gke-models", "gke_models_loader", "gke-models-"]) assert.match(accountIdFor(name), valid, name);
  });
});
