import { strict as assert } from "assert";
import { layoutSubnets, subnetOf } from "../../../components/aws/cidr";

function range(cidr: string): [number, number] {
  const [address, prefix] = cidr.split("/");
  const start = address.split(".").reduce((acc, octet) => acc * 256 + Number(octet), 0);
  return [start, start + 2 ** (32 - Number(prefix)) - 1];
}

describe("subnet layout (aws)", () => {
  it("carves the n-th block of a given size", () => {
    assert.equal(subnetOf("10.40.0.0/16", 18, 2), "10.40.128.0/18");
    assert.throws(() => subnetOf("10.40.0.0/16", 18, 4), /holds only 4 \/18 subnets/);
  });

  it("keeps each zone's subnets where they are when the zone count changes", () => {
    for (const vpc of ["10.40.0.0/16", "10.40.0.0/22"]) {
      const layouts = [2, 3, 4, 5, 6].map((zones) => layoutSubnets(vpc, zones));
      for (const [i, layout] of layouts.entries()) {
        const wider = layouts[layouts.length - 1];
        assert.deepEqual(layout.private, wider.private.slice(0, i + 2), `${vpc}: private subnets of ${i + 2} zones`);
        assert.deepEqual(layout.public, wider.public.slice(0, i + 2), `${vpc}: public subnets of ${i + 2} zones`);
      }
    }
    // The earlier cut moved every subnet when the count changed.
    assert.notDeepEqual(layoutSubnets("10.40.0.0/16", 3, "byZoneCount").private[0], layoutSubnets("10.40.0.0/16", 4, "byZoneCount").private[1]);
    assert.equal(layoutSubnets("10.40.0.0/16", 3, "byZoneCount").private[1], "10.40.64.0/18");
  });

  // Every VPC size the schema accepts, with every zone count: subnets never overlap or leave the VPC.
  for (const prefix of [16, 17, 18, 19, 20, 21, 22]) {
    for (let zones = 2; zones <= 6; zones++) {
      it(`fits ${zones} private and ${zones} public subnets into a /${prefix} without overlap`, () => {
        const vpc = `10.40.0.0/${prefix}`;
        const layout = layoutSubnets(vpc, zones);
        const all = [...layout.private, ...layout.public].map(range).sort((a, b) => a[0] - b[0]);
        const [vpcStart, vpcEnd] = range(vpc);
        assert.equal(all.length, zones * 2);
        all.forEach(([start, end], i) => {
          assert.ok(start >= vpcStart && end <= vpcEnd, "inside the VPC");
          if (i > 0) assert.ok(start > all[i - 1][1], "no overlap");
        });
        const privateSize = range(layout.private[0])[1] - range(layout.private[0])[0];
        const publicSize = range(layout.public[0])[1] - range(layout.public[0])[0];
        assert.ok(privateSize > publicSize, "nodes get the larger blocks");
      });
    }
  }
});
