/**
 * The Pod Security Standards (kubernetes.io/docs/concepts/security/pod-security-standards, the
 * v1.35 policy), as the admission controller applies them to a pod spec: every check of the
 * baseline level, then the restricted level's on top. Returns what a namespace enforcing `level`
 * would refuse. Not checked: the legacy AppArmor annotations (they are metadata, not spec) and
 * v1.35's relaxed procMount for pods with `hostUsers: false` (stricter here, never laxer).
 */
export type PodSecurityLevel = "privileged" | "baseline" | "restricted";

type Obj = Record<string, unknown>;
const obj = (value: unknown): Obj => (value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Obj) : {});
const list = (value: unknown): Obj[] => (Array.isArray(value) ? value.map(obj) : []);

/** Capabilities baseline lets a container add. */
const baselineCapabilities = new Set(["AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL", "MKNOD", "NET_BIND_SERVICE", "SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYS_CHROOT"]);
/** Sysctls baseline allows. */
const safeSysctls = new Set(["kernel.shm_rmid_forced", "net.ipv4.ip_local_port_range", "net.ipv4.ip_unprivileged_port_start", "net.ipv4.tcp_syncookies", "net.ipv4.ping_group_range", "net.ipv4.ip_local_reserved_ports", "net.ipv4.tcp_keepalive_time", "net.ipv4.tcp_fin_timeout", "net.ipv4.tcp_keepalive_intvl", "net.ipv4.tcp_keepalive_probes"]);
/** Volume types restricted allows. */
const restrictedVolumes = new Set(["configMap", "csi", "downwardAPI", "emptyDir", "ephemeral", "persistentVolumeClaim", "projected", "secret", "image"]);
const seLinuxTypes = new Set(["", "container_t", "container_init_t", "container_kvm_t", "container_engine_t"]);

/** Every container of a pod spec, init and ephemeral ones included, with where it sits. */
export function containersOf(spec: Obj): { kind: string; container: Obj }[] {
  return [
    ...list(spec.initContainers).map((container) => ({ kind: "initContainer", container })),
    ...list(spec.containers).map((container) => ({ kind: "container", container })),
    ...list(spec.ephemeralContainers).map((container) => ({ kind: "ephemeralContainer", container })),
  ];
}

function baselineProblems(spec: Obj): string[] {
  const problems: string[] = [];
  for (const key of ["hostNetwork", "hostPID", "hostIPC"]) if (spec[key] === true) problems.push(`${key}: true`);
  const podSc = obj(spec.securityContext);
  for (const volume of list(spec.volumes)) if (volume.hostPath !== undefined) problems.push(`hostPath volume "${String(volume.name)}"`);
  for (const sysctl of list(podSc.sysctls)) if (!safeSysctls.has(String(sysctl.name))) problems.push(`sysctl ${String(sysctl.name)}`);
  const checkSeccomp = (sc: Obj, where: string) => {
    if (obj(sc.seccompProfile).type === "Unconfined") problems.push(`${where} seccompProfile Unconfined`);
    if (obj(sc.appArmorProfile).type === "Unconfined") problems.push(`${where} appArmorProfile Unconfined`);
    const seLinux = obj(sc.seLinuxOptions);
    if (seLinux.type !== undefined && !seLinuxTypes.has(String(seLinux.type))) problems.push(`${where} seLinuxOptions.type ${String(seLinux.type)}`);
    // Undefined or "" is allowed for user and role.
    if ((seLinux.user ?? "") !== "" || (seLinux.role ?? "") !== "") problems.push(`${where} seLinuxOptions user or role`);
    if (obj(sc.windowsOptions).hostProcess === true) problems.push(`${where} windowsOptions.hostProcess`);
  };
  checkSeccomp(podSc, "pod");
  for (const { kind, container } of containersOf(spec)) {
    const name = `${kind} "${String(container.name)}"`;
    const sc = obj(container.securityContext);
    if (sc.privileged === true) problems.push(`${name} privileged`);
    for (const cap of (obj(sc.capabilities).add as unknown[] | undefined) ?? []) {
      if (!baselineCapabilities.has(String(cap))) problems.push(`${name} adds capability ${String(cap)}`);
    }
    if (sc.procMount !== undefined && sc.procMount !== "Default") problems.push(`${name} procMount ${String(sc.procMount)}`);
    for (const port of list(container.ports)) if (port.hostPort !== undefined && port.hostPort !== 0) problems.push(`${name} hostPort ${String(port.hostPort)}`);
    // Since v1.34 baseline also refuses probes and lifecycle hooks aimed at another host.
    const handlers = [container.livenessProbe, container.readinessProbe, container.startupProbe, obj(container.lifecycle).postStart, obj(container.lifecycle).preStop].map(obj);
    for (const handler of handlers) {
      for (const action of [obj(handler.httpGet), obj(handler.tcpSocket)]) {
        if ((action.host ?? "") !== "" && action.host !== "127.0.0.1" && action.host !== "::1") problems.push(`${name} probe or hook to host ${String(action.host)}`);
      }
    }
    checkSeccomp(sc, name);
  }
  return problems;
}

function restrictedProblems(spec: Obj): string[] {
  const problems: string[] = [];
  const podSc = obj(spec.securityContext);
  for (const volume of list(spec.volumes)) {
    const type = Object.keys(volume).find((key) => key !== "name");
    if (type !== undefined && !restrictedVolumes.has(type)) problems.push(`${type} volume "${String(volume.name)}"`);
  }
  const podSeccomp = obj(podSc.seccompProfile).type;
  for (const { kind, container } of containersOf(spec)) {
    const name = `${kind} "${String(container.name)}"`;
    const sc = obj(container.securityContext);
    if (sc.allowPrivilegeEscalation !== false) problems.push(`${name} does not set allowPrivilegeEscalation: false`);
    const nonRoot = sc.runAsNonRoot ?? podSc.runAsNonRoot;
    if (nonRoot !== true) problems.push(`${name} does not set runAsNonRoot: true`);
    if ((sc.runAsUser ?? podSc.runAsUser) === 0) problems.push(`${name} runs as user 0`);
    const seccomp = obj(sc.seccompProfile).type ?? podSeccomp;
    if (seccomp !== "RuntimeDefault" && seccomp !== "Localhost") problems.push(`${name} has no RuntimeDefault or Localhost seccompProfile`);
    const caps = obj(sc.capabilities);
    if (!((caps.drop as unknown[] | undefined) ?? []).includes("ALL")) problems.push(`${name} does not drop ALL capabilities`);
    for (const cap of (caps.add as unknown[] | undefined) ?? []) if (cap !== "NET_BIND_SERVICE") problems.push(`${name} adds capability ${String(cap)}`);
  }
  if (podSc.runAsUser === 0) problems.push("pod runs as user 0");
  return problems;
}

/** What a namespace enforcing `level` refuses in this pod spec; empty when it is admitted. */
export function podSecurityProblems(spec: Obj, level: PodSecurityLevel): string[] {
  if (level === "privileged") return [];
  const baseline = baselineProblems(spec);
  return level === "baseline" ? baseline : [...baseline, ...restrictedProblems(spec)];
}
