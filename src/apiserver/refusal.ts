import type { ResourceKey } from '../render/resource-key.js';
import type { SyncObject } from './sync-order.js';

/** What the API server refused: the object, what was asked, and the server's own words. */
export interface ApiServerRefusal {
  environment: string;
  release: string;
  resource: ResourceKey;
  apiVersion: string;
  /** Manifest file (`<environment>/<release>/<file>`). */
  path: string;
  operation: 'apply' | 'delete' | 'dry-run';
  /** HTTP status of the answer (0: no answer). */
  status: number;
  /** The API server's message, Secret values masked. */
  message: string;
  /** The first field the server names (`spec.selector`), when it names one. */
  field?: string;
}

/** Something the local server cannot judge, listed once in the report so nobody reads the check as covering it. */
export interface NotExercised {
  environment: string;
  release: string;
  resource: ResourceKey;
  path: string;
  reason: string;
}

interface StatusBody {
  kind?: string;
  message?: string;
  details?: { causes?: { field?: string; message?: string }[] };
}

/** Short values would mask ordinary words of the message; Secret values that short are not secrets worth the noise. */
const SHORTEST_MASKED_VALUE = 4;

export function refusalOf(
  item: SyncObject,
  operation: ApiServerRefusal['operation'],
  answer: { status: number; text: string; json?: unknown },
): ApiServerRefusal {
  const body = (answer.json ?? {}) as StatusBody;
  const message = (body.kind === 'Status' && body.message) || answer.text.trim() || `HTTP ${answer.status} without a message`;
  const field = body.details?.causes?.find((cause) => cause.field)?.field;
  return {
    environment: item.environment,
    release: item.release,
    resource: item.key,
    apiVersion: item.apiVersion,
    path: item.path,
    operation,
    status: answer.status,
    message: maskSecretValues(message, item),
    ...(field ? { field } : {}),
  };
}

/**
 * The message with every value of a Secret's `data` (as written and decoded) and `stringData`
 * replaced by `***`: the API server quotes invalid values, and a Secret's never reach a report.
 */
export function maskSecretValues(message: string, item: SyncObject): string {
  if (item.key.group !== '' || item.key.kind !== 'Secret') return message;
  const values = new Set<string>();
  for (const field of ['data', 'stringData'] as const) {
    const entries = item.object[field];
    if (!entries || typeof entries !== 'object') continue;
    for (const value of Object.values(entries as Record<string, unknown>)) {
      if (typeof value !== 'string') continue;
      values.add(value);
      if (field === 'data') values.add(Buffer.from(value, 'base64').toString('utf8'));
    }
  }
  let masked = message;
  for (const value of [...values].filter((value) => value.length >= SHORTEST_MASKED_VALUE).sort((a, b) => b.length - a.length)) {
    masked = masked.split(value).join('***');
  }
  return masked;
}
