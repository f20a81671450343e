/**
 * Resource requests for controllers, sized for a platform of tens of nodes: they reserve room on
 * the system nodes so the scheduler spreads controllers and never starves one. No limits: a
 * controller that bursts during a rollout should not be killed for it.
 */
export const requests = (cpu: string, memory: string) => ({ requests: { cpu, memory } });
