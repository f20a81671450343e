/**
 * What a stack costs a month, from its resolved settings and the dated price tables: idle (every
 * pool at its floor) and worst case (every pool at its bound), per item and per team.
 */
import { hoursPerMonth, pricesAsOf, regionPriceFactor, regionalGpuHourlyPrice } from "../../stacks/gpu-prices";
import type { PlatformConfig } from "../../stacks/load";
import { controlPlaneHourly, platformPricesAsOf, systemMachineHourly } from "../../stacks/platform-prices";
import type { CostLine, CostReport } from "./model";

const monthly = (usdPerHour: number) => usdPerHour * hoursPerMonth;

export function modelCost(config: PlatformConfig): CostReport {
  const asOf = [pricesAsOf, platformPricesAsOf].sort()[0];
  const cloud = config.cloud;
  if (cloud === "existing") {
    return {
      currency: "USD", pricesAsOf: asOf, region: config.region, idleMonthly: 0, worstCaseMonthly: 0, lines: [], perTeam: [], modelsAtZero: [],
      notes: ["An existing cluster runs on hardware the platform does not buy; its cost is not modelled."],
    };
  }
  const factor = regionPriceFactor(cloud, config.region);
  const notes = [
    `On-demand list prices (GPUs ${pricesAsOf}, control plane and system machines ${platformPricesAsOf}) in the reference region × ${factor} for ${config.region}; ${hoursPerMonth} hours a month.`,
    "Not included: spot and committed-use discounts, NAT gateways, disks, load balancers, egress, logs.",
  ];
  const lines: CostLine[] = [];
  const controlPlane = monthly(controlPlaneHourly(cloud, config.aks.tier));
  lines.push({ item: "Kubernetes control plane", kind: "control-plane", idleMonthly: controlPlane, worstCaseMonthly: controlPlane, basis: `${controlPlaneHourly(cloud, config.aks.tier).toFixed(2)} $/h` });

  const system = systemMachineHourly(cloud, config.systemNodes.instanceType);
  if (!system.exact) notes.push(`System machine ${config.systemNodes.instanceType} priced by vCPU from the default type's price.`);
  const systemHourly = system.usdPerHour * factor;
  // AKS runs its system pool at a fixed size (Node Auto Provisioning allows no autoscaled pools).
  const systemMax = cloud === "azure" ? config.systemNodes.min : config.systemNodes.max;
  lines.push({
    item: `System nodes (${config.systemNodes.instanceType})`, kind: "system-nodes",
    idleMonthly: config.systemNodes.min * monthly(systemHourly), worstCaseMonthly: systemMax * monthly(systemHourly),
    basis: `${config.systemNodes.min}–${systemMax} × ${systemHourly.toFixed(3)} $/h`,
  });

  const perGpu = new Map<string, number>();
  const modelsAtZero: CostReport["modelsAtZero"][number][] = [];
  for (const pool of config.gpuPools) {
    const hourly = regionalGpuHourlyPrice(cloud, config.region, pool.gpu);
    if (hourly === undefined) {
      notes.push(`No price for ${pool.gpu} on ${cloud}; pool ${pool.name} is left out.`);
      continue;
    }
    perGpu.set(pool.name, hourly);
    lines.push({
      item: `GPU pool ${pool.name} (${pool.gpu})`, kind: pool.baselineGpus > 0 ? "baseline-gpu" : "gpu-pool",
      idleMonthly: pool.baselineGpus * monthly(hourly), worstCaseMonthly: pool.maxGpus * monthly(hourly),
      basis: `${pool.baselineGpus}–${pool.maxGpus} GPUs × ${hourly.toFixed(3)} $/GPU-h`,
    });
    const baseline = pool.baselineGpus * monthly(hourly);
    // An idle model at min 1 holds the smallest node the pool launches, unless baseline nodes run anyway.
    const oneNode = pool.baselineMachine.gpus * monthly(hourly);
    modelsAtZero.push({ pool: pool.name, machine: pool.baselineMachine.name, idleAtMin0Monthly: baseline, idleAtMin1Monthly: pool.baselineGpus > 0 ? baseline : oneNode });
  }
  const perTeam = config.teams.map((team) => {
    const gpus = Object.values(team.gpus).reduce((sum, n) => sum + n, 0);
    const worst = Object.entries(team.gpus).reduce((sum, [pool, n]) => sum + n * monthly(perGpu.get(pool) ?? 0), 0);
    return { team: team.name, gpus, worstCaseMonthly: worst };
  });
  const sum = (pick: (line: CostLine) => number) => lines.reduce((total, line) => total + pick(line), 0);
  return {
    currency: "USD", pricesAsOf: asOf, region: config.region,
    idleMonthly: sum((l) => l.idleMonthly), worstCaseMonthly: sum((l) => l.worstCaseMonthly),
    lines, perTeam, modelsAtZero, notes,
  };
}
