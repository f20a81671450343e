import { strict as assert } from "assert";
import { overlaps, podRangeCandidates, secondaryRanges, serviceRangeCandidates } from "../../../components/gcp/ip-ranges";

describe("GKE secondary ranges", () => {
  it("gives pods a /14 and Services a /20 outside the default VPC", () => {
    assert.deepEqual(secondaryRanges("10.40.0.0/16"), { pods: "10.96.0.0/14", services: "10.100.0.0/20" });
  });

  it("moves to the next block when the VPC takes the first", () => {
    assert.deepEqual(secondaryRanges("10.97.0.0/16"), { pods: "10.192.0.0/14", services: "10.100.0.0/20" });
    assert.deepEqual(secondaryRanges("10.100.0.0/20"), { pods: "10.96.0.0/14", services: "10.196.0.0/20" });
  });

  it("never overlaps the VPC or each other, whatever the VPC is", () => {
    const vpcs = ["10.40.0.0/16", "10.96.0.0/16", "10.192.0.0/16", "172.20.0.0/16", "10.100.0.0/22", "192.168.0.0/16", "172.24.0.0/16", "10.0.0.0/8"];
    for (const vpc of vpcs) {
      const { pods, services } = secondaryRanges(vpc);
      for (const [a, b] of [[pods, vpc], [services, vpc], [pods, services]]) assert.ok(!overlaps(a, b), `${a} overlaps ${b} (VPC ${vpc})`);
    }
  });

  it("keeps its candidate blocks apart, so one VPC can never take them all", () => {
    const all = [...podRangeCandidates, ...serviceRangeCandidates];
    for (const [i, a] of all.entries()) for (const b of all.slice(i + 1)) assert.ok(!overlaps(a, b), `${a} and ${b}`);
  });

  it("tells overlapping blocks from neighbours", () => {
    assert.ok(overlaps("10.96.0.0/14", "10.99.255.0/24"));
    assert.ok(!overlaps("10.96.0.0/14", "10.100.0.0/20"));
    assert.ok(overlaps("172.16.0.0/12", "172.16.0.32/28"));
  });
});
