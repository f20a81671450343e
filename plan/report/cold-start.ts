/** Time from zero to a model's first answer, per GPU pool, as steps: the plan's cold-start model. */
import { coldStartFacts, coldStartTimesAsOf } from "../../stacks/cold-start-times";
import type { PlatformConfig } from "../../stacks/load";
import type { ColdStartReport } from "./model";

/** The README's goal: an 8B model answering from zero within this many seconds with the levers on. */
export const coldStartGoalSeconds = 120;

export function modelColdStart(config: PlatformConfig): ColdStartReport | undefined {
  if (config.cloud === "existing") return undefined;
  const facts = coldStartFacts[config.cloud];
  const modelGB = config.coldStart.referenceModelGB;
  const weights = Math.round(modelGB / facts.weightsGBps);
  const pools = config.gpuPools.map((pool) => {
    // A baseline node is up, with the image from its first pull still on it.
    const warm = pool.baselineNodes > 0;
    const image = config.coldStart.fastImagePull ? facts.fastImagePullSeconds : facts.imagePullSeconds;
    const steps = [
      { step: "GPU node ready", seconds: warm ? 0 : facts.nodeToGpuSeconds, basis: warm ? "a baseline node is up" : facts.nodeBasis },
      { step: "serving image", seconds: warm ? 0 : image, basis: warm ? "cached on the baseline node" : config.coldStart.fastImagePull ? "fast image pull" : "full pull" },
      { step: `weights (${modelGB} GB)`, seconds: weights, basis: "from Hugging Face" },
      { step: "engine start", seconds: facts.engineStartSeconds, basis: "vLLM, 8B" },
    ];
    const seconds = steps.reduce((sum, s) => sum + s.seconds, 0);
    return { pool: pool.name, gpu: pool.gpu, steps, seconds, meetsGoal: seconds <= coldStartGoalSeconds };
  });
  return { asOf: coldStartTimesAsOf, goalSeconds: coldStartGoalSeconds, fastImagePull: config.coldStart.fastImagePull, modelGB, pools };
}
