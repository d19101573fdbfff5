import { podTemplate } from './pod-templates.js';
import type { ResourcePair } from './resource-pairs.js';
import { isRecord, valueAt, type JsonObject } from './values.js';

/** A container of a pod spec with how a risk names it: `container web`, `init container setup`. */
export interface NamedContainer {
  label: string;
  container: JsonObject;
}

/** Where a pod spec keeps its containers, with the word a risk uses for each kind. */
const CONTAINER_LISTS = [
  ['initContainers', 'init container'],
  ['containers', 'container'],
  ['ephemeralContainers', 'ephemeral container'],
] as const;

export function containersOf(podSpec: unknown): NamedContainer[] {
  if (!isRecord(podSpec)) return [];
  return CONTAINER_LISTS.flatMap(([field, word]) =>
    objects(podSpec[field]).map((container) => ({ label: `${word} ${String(container.name ?? '?')}`, container })),
  );
}

export function objects(value: unknown): JsonObject[] {
  return Array.isArray(value) ? value.filter(isRecord) : [];
}

export function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.map(String) : [];
}

/** The pod template (metadata + spec) of one side of a pair, from the masked objects (safe to quote). */
export function sideTemplate(pair: ResourcePair, side: 'base' | 'head'): JsonObject | undefined {
  return podTemplate(pair.key.group, pair.key.kind, pair.masked[side]);
}

export function podSpecOf(template: JsonObject | undefined): JsonObject | undefined {
  const spec = valueAt(template, 'spec');
  return isRecord(spec) ? spec : undefined;
}
