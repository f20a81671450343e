import { strict as assert } from "assert";
import { gpuModels, machinesFor, type GpuModel } from "../../stacks/gpu-catalog";
import {
  cloudPricesAsOf, gpuHourlyPrice, gpuPrices, hoursPerMonth, pricesAsOf, referenceRegions,
  regionPriceFactor, regionPriceFactors,
} from "../../stacks/gpu-prices";
import { clouds, regionsIn } from "../../stacks/jurisdictions";

/** Entries that document using another machine or region than the first machine in the reference region. */
const fallbacks: Record<string, { machine?: string; region?: string }> = {
  "aws H200": { machine: "p5en.48xlarge" }, // p5e.48xlarge is Capacity Blocks only
  "azure H200": { region: "eastus2" }, // ND H200 v5 has no eastus price
};

describe("GPU prices", () => {
  it("prices every model the catalog offers on a cloud, and only those", () => {
    for (const cloud of clouds) {
      for (const model of gpuModels) {
        const offered = machinesFor(model, cloud).length > 0;
        assert.equal(gpuPrices[cloud][model] !== undefined, offered, `${cloud} ${model}`);
        assert.equal(gpuHourlyPrice(cloud, model) !== undefined, offered, `${cloud} ${model}`);
      }
    }
  });

  it("names a catalog machine of that model with the catalog's GPU count", () => {
    for (const cloud of clouds) {
      for (const model of gpuModels) {
        const price = gpuPrices[cloud][model];
        if (!price) continue;
        const machine = machinesFor(model, cloud).find((m) => m.name === price.machine);
        assert.ok(machine, `${cloud} ${model}: ${price.machine} is not a catalog ${model} machine`);
        assert.equal(price.gpus, machine.gpus, `${cloud} ${model}: ${price.machine}`);
      }
    }
  });

  it("uses the smallest machine in the reference region unless a fallback is documented", () => {
    for (const cloud of clouds) {
      for (const model of gpuModels) {
        const price = gpuPrices[cloud][model];
        if (!price) continue;
        const fallback = fallbacks[`${cloud} ${model}`] ?? {};
        assert.equal(price.machine, fallback.machine ?? machinesFor(model, cloud)[0].name, `${cloud} ${model}`);
        assert.equal(price.region, fallback.region ?? referenceRegions[cloud], `${cloud} ${model}`);
        assert.ok(regionsIn("us", cloud).includes(price.region), `${cloud} ${model}: ${price.region} is a US region`);
      }
    }
  });

  it("gives positive per-GPU prices, machine price over GPUs", () => {
    for (const cloud of clouds) {
      for (const model of gpuModels) {
        const price = gpuPrices[cloud][model];
        if (!price) continue;
        const perGpu = gpuHourlyPrice(cloud, model);
        assert.ok(perGpu !== undefined && Number.isFinite(perGpu) && perGpu > 0, `${cloud} ${model}`);
        assert.equal(perGpu, price.usdPerHour / price.gpus);
        // Sanity bounds for 2026 list prices of these GPUs: between 10 cents and 20 dollars a GPU-hour.
        assert.ok(perGpu > 0.1 && perGpu < 20, `${cloud} ${model}: ${perGpu}`);
      }
    }
  });

  it("orders models sensibly on each cloud: H100 > A100 > L4 > T4, A100 80GB >= A100 40GB", () => {
    const chain: GpuModel[] = ["H100", "A100", "L4", "T4"];
    for (const cloud of clouds) {
      const priced = chain
        .map((model) => ({ model, perGpu: gpuHourlyPrice(cloud, model) }))
        .filter((p): p is { model: GpuModel; perGpu: number } => p.perGpu !== undefined);
      assert.ok(priced.length >= 3, `${cloud} prices most of ${chain.join(", ")}`);
      for (let i = 1; i < priced.length; i++) {
        assert.ok(priced[i - 1].perGpu > priced[i].perGpu, `${cloud}: ${priced[i - 1].model} > ${priced[i].model}`);
      }
      const a100 = gpuHourlyPrice(cloud, "A100");
      const a100x80 = gpuHourlyPrice(cloud, "A100-80GB");
      if (a100 !== undefined && a100x80 !== undefined) assert.ok(a100x80 >= a100, `${cloud}: A100 80GB >= 40GB`);
    }
  });

  it("models a month as 730 hours and dates the data", () => {
    assert.equal(hoursPerMonth, 730);
    for (const date of [pricesAsOf, ...Object.values(cloudPricesAsOf)]) {
      assert.match(date, /^\d{4}-\d{2}-\d{2}$/);
      assert.ok(!Number.isNaN(Date.parse(date)), date);
    }
    assert.equal(pricesAsOf, Object.values(cloudPricesAsOf).sort()[0], "pricesAsOf is the oldest snapshot");
    // One AWS H100 for a month at list price.
    assert.equal(Math.round((gpuHourlyPrice("aws", "H100") ?? 0) * hoursPerMonth), 5022);
  });
});

describe("region price factors", () => {
  it("is 1 in each reference region and at least 1 in every known region", () => {
    for (const cloud of clouds) {
      assert.equal(regionPriceFactor(cloud, referenceRegions[cloud]), 1, cloud);
      for (const region of regionsIn("global", cloud)) {
        const factor = regionPriceFactor(cloud, region);
        assert.ok(Number.isFinite(factor) && factor >= 1, `${cloud} ${region}: ${factor}`);
      }
    }
  });

  it("lists factors only for regions jurisdictions.ts knows, each above 1 and below 2.5", () => {
    for (const cloud of clouds) {
      const known = new Set(regionsIn("global", cloud));
      for (const [region, factor] of Object.entries(regionPriceFactors[cloud])) {
        assert.ok(known.has(region), `${cloud} ${region}`);
        assert.ok(factor > 1 && factor < 2.5, `${cloud} ${region}: ${factor}`);
      }
    }
  });

  it("marks the pricier European regions up", () => {
    assert.equal(regionPriceFactor("aws", "eu-central-1"), 1.25);
    assert.ok(Math.abs(1.22249 / 0.9776 - regionPriceFactor("aws", "eu-central-1")) < 0.01, "g6.2xlarge Frankfurt vs N. Virginia");
    assert.ok(regionPriceFactor("gcp", "europe-west4") > 1);
    assert.ok(regionPriceFactor("azure", "westeurope") > 1);
    assert.ok(regionPriceFactor("azure", "swedencentral") > 1);
  });

  it("keeps the same-priced US regions at 1", () => {
    for (const region of ["us-east-2", "us-west-2"]) assert.equal(regionPriceFactor("aws", region), 1, region);
    for (const region of ["us-east1", "us-west1"]) assert.equal(regionPriceFactor("gcp", region), 1, region);
    for (const region of ["eastus2", "westus2", "westus3"]) assert.equal(regionPriceFactor("azure", region), 1, region);
  });

  it("falls back to 1 for unknown regions, including inherited property names", () => {
    assert.equal(regionPriceFactor("aws", "mars-north-1"), 1);
    assert.equal(regionPriceFactor("gcp", "constructor"), 1);
    assert.equal(regionPriceFactor("azure", "toString"), 1);
  });
});
