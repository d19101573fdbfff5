import { applyObjects } from '../apiserver/apply-objects.js';
import { syncObjectOf } from '../apiserver/sync-order.js';
import type { ClusterStage, EnvironmentPlan } from '../cluster/cluster-stage.js';
import type { LocalCluster } from '../cluster/local-cluster.js';
import type { EnvironmentCluster } from '../cluster/node-declaration.js';
import type { EnvironmentManifests, RenderedResource } from '../model/manifests.js';
import { resourceId } from '../model/resource-key.js';
import type { CheckCoverage } from '../report/check-coverage.js';
import type { Risk } from '../risk/types.js';
import { readWarningEvents, type ClusterState } from './cluster-state.js';
import { loseEachNode } from './node-loss.js';
import { registerNodes } from './register-nodes.js';
import { rehearsalRisks, type EnvironmentObservation, type NamedObject, type SideObservation } from './rehearsal-verdict.js';
import { settle } from './settle.js';
import { placementSignature } from './placement.js';
import type { StorageClasses } from './volume-binder.js';
import { JUDGED_KINDS, judgedLive, workloadStates, type JudgedWorkload } from './workload-states.js';

/** The check's name in logs, failure reports and the JSON report's `checks`. */
export const REHEARSAL_NAME = 'rehearsal';

/**
 * What the releases a change does not touch put on the nodes: their workloads take capacity and
 * their budgets and claims count, but nothing of theirs is judged. Only kinds the API server serves
 * without a CRD.
 */
const CONTEXT_KINDS = new Set([
  'Namespace',
  'ServiceAccount',
  'PriorityClass',
  'StorageClass',
  'PersistentVolumeClaim',
  'ResourceQuota',
  'LimitRange',
  'PodDisruptionBudget',
  'Deployment',
  'StatefulSet',
  'DaemonSet',
]);

interface EnvironmentRun {
  storage: StorageClasses;
  cluster: EnvironmentCluster;
  /** Whether each node is lost in turn: two or more declared nodes, and (on a change) pods whose placement the change moves. */
  drillNodes: boolean;
  base?: SideObservation;
  headStarted: number;
}

/**
 * The rollout rehearsal: on the environment's declared nodes (KWOK), the controllers create the
 * pods of what was synced, admission judges each pod, the scheduler places them; then each node is
 * lost in turn. What the head blocks that the base did not becomes a risk.
 */
export class Rehearsal implements ClusterStage {
  readonly name = REHEARSAL_NAME;
  private readonly runs = new Map<string, EnvironmentRun>();
  private readonly observations: EnvironmentObservation[] = [];
  private readonly summaries: string[] = [];
  private readonly notes: { path: string; reason: string }[] = [];
  /** Time spent in the rehearsal's own steps, for the log (never the report: it differs run to run). */
  private readonly spent = { preparing: 0, settling: 0, nodeLoss: 0 };

  constructor(
    private readonly clusterOf: (environment: string) => EnvironmentCluster,
    private readonly skip: (resource: RenderedResource) => boolean = () => false,
  ) {}

  async prepare(cluster: LocalCluster, plan: EnvironmentPlan): Promise<void> {
    const started = Date.now();
    const declared = this.clusterOf(plan.environment);
    await registerNodes(cluster.client, declared.nodes, declared.storageClasses, cluster.version);
    const touched = new Set(plan.releases);
    const context = resourcesOf(plan.head).filter(
      (resource) => !touched.has(resource.release) && CONTEXT_KINDS.has(resource.key.kind) && !this.skip(resource),
    );
    if (context.length) await applyObjects(cluster.client, context.map(syncObjectOf));
    this.spent.preparing += Date.now() - started;
    const storage = storageClassesOf([plan.base, plan.head], declared);
    const touchedOrAll = new Set(plan.releases);
    const moved = !plan.base || placementSignature(plan.base, touchedOrAll) !== placementSignature(plan.head, touchedOrAll);
    const drillNodes = declared.declared && declared.nodes.length > 1 && moved;
    if (declared.declared && declared.nodes.length > 1 && !moved)
      this.notes.push({
        path: `${plan.environment}/`,
        reason:
          'the loss of a node was not drilled: the change moves no pod (replicas, requests, selectors, affinity, tolerations, ' +
          'spread and volumes are those of the base), so a lost node does to the head what it does to the base',
      });
    this.runs.set(plan.environment, { storage, cluster: declared, drillNodes, headStarted: Date.now() });
    if (!declared.declared)
      this.notes.push({
        path: `${plan.environment}/`,
        reason:
          'no nodes are declared for it in .helmfile-hydrate.yaml: one untainted linux/amd64 node large enough for everything was assumed, ' +
          'so capacity and the loss of a node were not judged (helmfile-hydrate nodes import writes the declaration)',
      });
  }

  async afterBase(cluster: LocalCluster, plan: EnvironmentPlan): Promise<void> {
    const run = this.runs.get(plan.environment)!;
    if (plan.base) run.base = (await this.observe(cluster, plan.base, plan, run, run.headStarted)).side;
    run.headStarted = Date.now();
  }

  async afterHead(cluster: LocalCluster, plan: EnvironmentPlan): Promise<void> {
    const run = this.runs.get(plan.environment)!;
    const { side, state } = await this.observe(cluster, plan.head, plan, run, run.headStarted);
    const objects = namedObjects(plan.head);
    this.observations.push({
      environment: plan.environment,
      ...(run.base ? { base: run.base } : {}),
      head: side,
      objects,
      unknownStorageClasses: unknownStorageClasses(plan, run.storage),
    });
    this.summaries.push(placementSummary(plan.environment, state, run.cluster));
  }

  /** `rehearsal: 0.8 s preparing, 3.1 s settling, 4.2 s losing nodes`, for the log. */
  timing(): string {
    const seconds = (ms: number) => (ms / 1000).toFixed(1);
    return `rehearsal: ${seconds(this.spent.preparing)} s preparing, ${seconds(this.spent.settling)} s settling, ${seconds(this.spent.nodeLoss)} s losing nodes`;
  }

  /** Every environment's risks, in the order the environments were rehearsed. */
  risks(): Risk[] {
    return this.observations.flatMap(rehearsalRisks);
  }

  coverage(): CheckCoverage {
    const summary = this.summaries.length
      ? `rehearsal on the declared nodes (controllers, scheduler, KWOK): ${this.summaries.join('; ')}`
      : "rehearsal: nothing to roll out (no release's manifests change)";
    return {
      check: REHEARSAL_NAME,
      summary,
      notExercised: [...this.notes].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)),
    };
  }

  private async observe(
    cluster: LocalCluster,
    environment: EnvironmentManifests,
    plan: EnvironmentPlan,
    run: EnvironmentRun,
    since: number,
  ): Promise<{ side: SideObservation; state: ClusterState }> {
    const failed = () => cluster.failedProgram();
    const workloads = judgedWorkloads(environment, new Set(plan.releases));
    const judged = judgedLive(workloads);
    const settleStarted = Date.now();
    const { state } = await settle(cluster.client, run.storage, failed, judged);
    this.spent.settling += Date.now() - settleStarted;
    const states = workloadStates(workloads, state, await readWarningEvents(cluster.client), since);
    const nodes = run.drillNodes ? run.cluster.nodes.map((node) => node.name) : [];
    const blocked = new Set(states.filter((item) => !item.complete).map((item) => resourceId(item.workload.key)));
    const lossStarted = Date.now();
    const losses = nodes.length ? await loseEachNode(cluster.client, nodes, workloads, run.storage, failed, blocked, judged) : undefined;
    this.spent.nodeLoss += Date.now() - lossStarted;
    return { side: { states, ...(losses ? { losses } : {}) }, state };
  }
}

function resourcesOf(environment: EnvironmentManifests): RenderedResource[] {
  return environment.releases.flatMap((release) => release.resources);
}

function judgedWorkloads(environment: EnvironmentManifests, releases: ReadonlySet<string>): JudgedWorkload[] {
  return resourcesOf(environment)
    .filter(
      (resource) => releases.has(resource.release) && JUDGED_KINDS.has(resource.key.kind) && ['apps', 'batch'].includes(resource.key.group),
    )
    .map((resource) => ({ environment: resource.environment, release: resource.release, path: resource.path, key: resource.key }));
}

function storageClassesOf(environments: readonly (EnvironmentManifests | undefined)[], declared: EnvironmentCluster): StorageClasses {
  const classes = new Map<string, { provisioner: string }>();
  for (const storageClass of declared.storageClasses) classes.set(storageClass.name, { provisioner: storageClass.provisioner });
  for (const environment of environments)
    for (const resource of environment ? resourcesOf(environment) : [])
      if (resource.key.kind === 'StorageClass' && typeof resource.object.provisioner === 'string')
        classes.set(resource.key.name, { provisioner: resource.object.provisioner });
  return classes;
}

function namedObjects(environment: EnvironmentManifests): Map<string, NamedObject> {
  return new Map(
    resourcesOf(environment).map((resource) => [
      `${resource.key.kind}/${resource.key.namespace ?? 'default'}/${resource.key.name}`,
      { release: resource.release, path: resource.path, key: resource.key },
    ]),
  );
}

/** Claims of the synced releases whose StorageClass nobody defines (a claim with no class takes the default, if one is declared). */
function unknownStorageClasses(plan: EnvironmentPlan, storage: StorageClasses) {
  const releases = new Set(plan.releases);
  return resourcesOf(plan.head)
    .filter((resource) => releases.has(resource.release) && resource.key.kind === 'PersistentVolumeClaim')
    .flatMap((resource) => {
      const name = (resource.object.spec as { storageClassName?: unknown } | undefined)?.storageClassName;
      if (typeof name !== 'string' || name === '' || storage.has(name)) return [];
      return [{ claim: { release: resource.release, path: resource.path, key: resource.key }, storageClass: name }];
    });
}

/** `staging: 34 pods of 24 workloads scheduled on 1 node` (and the pending ones, when there are). */
function placementSummary(environment: string, state: ClusterState, cluster: EnvironmentCluster): string {
  const pods = state.pods.filter((pod) => !pod.metadata.deletionTimestamp);
  const scheduled = pods.filter((pod) => pod.spec.nodeName).length;
  const workloads = state.workloads.filter((workload) => workload.kind !== 'ReplicaSet').length;
  const nodes = cluster.declared ? `${cluster.nodes.length} declared node${cluster.nodes.length === 1 ? '' : 's'}` : '1 assumed node';
  const pending = pods.length - scheduled;
  return `${environment}: ${scheduled} pod${scheduled === 1 ? '' : 's'} of ${workloads} workload${workloads === 1 ? '' : 's'} scheduled on ${nodes}${pending ? `, ${pending} pending` : ''}`;
}
