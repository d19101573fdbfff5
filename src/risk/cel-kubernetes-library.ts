import type { Environment } from '@marcbachmann/cel-js';
import { parseQuantity } from './values.js';

/**
 * The parts of the Kubernetes CEL libraries (k8s.io/apiserver/pkg/cel/library) that CRD rules
 * commonly use and that can be evaluated exactly enough offline: the quantity library and the
 * list library's isSorted/sum/min/max. Anything else stays "not evaluated".
 */

/** A resource quantity (`10Gi`, `500m`) as the quantity library sees it; compared by value. */
export class Quantity {
  constructor(
    readonly text: string,
    readonly value: number,
  ) {}
}

function quantity(text: string): Quantity {
  const value = parseQuantity(text);
  // The API server fails the rule on an invalid quantity; here that is "not evaluated".
  if (value === undefined) throw new Error(`not supported: ${JSON.stringify(text)} is not a quantity`);
  return new Quantity(text, value);
}

const toNumber = (value: Quantity | bigint) => (value instanceof Quantity ? value.value : Number(value));

function compare(a: unknown, b: unknown): number {
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  const x = Number(a);
  const y = Number(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

export function registerKubernetesLibrary(environment: Environment): Environment {
  return environment
    .registerType('Quantity', { ctor: Quantity, fields: {} })
    .registerFunction('quantity(string): Quantity', quantity)
    .registerFunction('isQuantity(string): bool', (text: string) => parseQuantity(text) !== undefined)
    .registerFunction('Quantity.isLessThan(Quantity): bool', (a: Quantity, b: Quantity) => a.value < b.value)
    .registerFunction('Quantity.isGreaterThan(Quantity): bool', (a: Quantity, b: Quantity) => a.value > b.value)
    .registerFunction('Quantity.compareTo(Quantity): int', (a: Quantity, b: Quantity) => BigInt(Math.sign(a.value - b.value)))
    .registerFunction('Quantity.sign(): int', (a: Quantity) => BigInt(Math.sign(a.value)))
    .registerFunction('Quantity.isInteger(): bool', (a: Quantity) => Number.isInteger(a.value))
    .registerFunction('Quantity.asApproximateFloat(): double', (a: Quantity) => a.value)
    .registerFunction(
      'Quantity.add(Quantity): Quantity',
      (a: Quantity, b: Quantity) => new Quantity(`${a.value + b.value}`, a.value + b.value),
    )
    .registerFunction(
      'Quantity.add(int): Quantity',
      (a: Quantity, b: bigint) => new Quantity(`${a.value + toNumber(b)}`, a.value + toNumber(b)),
    )
    .registerFunction(
      'Quantity.sub(Quantity): Quantity',
      (a: Quantity, b: Quantity) => new Quantity(`${a.value - b.value}`, a.value - b.value),
    )
    .registerFunction(
      'Quantity.sub(int): Quantity',
      (a: Quantity, b: bigint) => new Quantity(`${a.value - toNumber(b)}`, a.value - toNumber(b)),
    )
    .registerFunction('list.isSorted(): bool', (list: unknown[]) =>
      list.every((item, index) => index === 0 || compare(list[index - 1], item) <= 0),
    )
    .registerFunction('list.sum(): dyn', (list: unknown[]) => (list.length === 0 ? 0n : list.reduce((sum: any, item: any) => sum + item)))
    .registerFunction('list.min(): dyn', (list: unknown[]) => {
      if (list.length === 0) throw new Error('not supported: min of an empty list');
      return list.reduce((a, b) => (compare(a, b) <= 0 ? a : b));
    })
    .registerFunction('list.max(): dyn', (list: unknown[]) => {
      if (list.length === 0) throw new Error('not supported: max of an empty list');
      return list.reduce((a, b) => (compare(a, b) >= 0 ? a : b));
    });
}
