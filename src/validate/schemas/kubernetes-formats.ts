import type { Format } from 'ajv';
import { fullFormats } from 'ajv-formats/dist/formats.js';

/** 2^63: the magnitude int64 allows, as a JavaScript number (the nearest double; exact bounds are not needed here). */
const INT64_LIMIT = 2 ** 63;

/**
 * The `format` values Kubernetes checks, as Ajv formats. Built-in types use int32/int64 (a value
 * outside the range fails to decode), byte (base64), date-time (RFC 3339) and Quantity (given the
 * format name `quantity` by the conversion). Custom resources are checked with the string formats
 * of the apiextensions API server (k8s.io/kube-openapi strfmt); other format names are ignored
 * there, and so here.
 */
export const KUBERNETES_FORMATS: Record<string, Format> = {
  int32: { type: 'number', validate: (value: number) => Number.isInteger(value) && value >= -2_147_483_648 && value <= 2_147_483_647 },
  // Beyond 2^53 JavaScript numbers are not exact; the bound still catches wildly wrong values.
  int64: { type: 'number', validate: (value: number) => Number.isInteger(value) && Math.abs(value) <= INT64_LIMIT },
  byte: /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/,
  'date-time':
    /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])[Tt]([01]\d|2[0-3]):[0-5]\d:([0-5]\d|60)(\.\d+)?([Zz]|[+-]([01]\d|2[0-3]):[0-5]\d)$/,
  date: /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/,
  // resource.Quantity: <signedNumber><suffix>, suffix binarySI (Ki..Ei), decimalSI (n u m k M G T P E) or decimalExponent (e3, E-6).
  quantity: /^[+-]?(\d+(\.\d*)?|\.\d+)(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?\d+)?$/,
  // Go durations (1h30m, 250ms) and the unit words kube-openapi's strfmt also accepts (3d, 2 weeks).
  duration: new RegExp(
    String.raw`^([+-]?((\d+(\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h))+|0|` +
      String.raw`\d+\s*(ns|nanoseconds?|us|µs|microseconds?|ms|milliseconds?|s|sec|seconds?|` +
      String.raw`m|min|minutes?|h|hr|hours?|d|days?|w|wk|weeks?))$`,
  ),
  uri: fullFormats.uri as Format,
  email: fullFormats.email as Format,
  hostname: fullFormats.hostname as Format,
  ipv4: fullFormats.ipv4 as Format,
  ipv6: fullFormats.ipv6 as Format,
  uuid: /^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$/,
  uuid3: /^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?3[0-9a-fA-F]{3}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$/,
  uuid4: /^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?4[0-9a-fA-F]{3}-?[89abAB][0-9a-fA-F]{3}-?[0-9a-fA-F]{12}$/,
  uuid5: /^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?5[0-9a-fA-F]{3}-?[89abAB][0-9a-fA-F]{3}-?[0-9a-fA-F]{12}$/,
  cidr: {
    type: 'string',
    validate: (value: string) => {
      const slash = value.lastIndexOf('/');
      if (slash === -1) return false;
      const address = value.slice(0, slash);
      const bits = value.slice(slash + 1);
      if (!/^\d{1,3}$/.test(bits)) return false;
      const v4 = (fullFormats.ipv4 as RegExp).test(address);
      return (v4 && Number(bits) <= 32) || ((fullFormats.ipv6 as RegExp).test(address) && Number(bits) <= 128);
    },
  },
  mac: /^([0-9a-fA-F]{2}[:-]){5}[0-9a-fA-F]{2}$|^([0-9a-fA-F]{2}[:-]){7}[0-9a-fA-F]{2}$|^([0-9a-fA-F]{4}\.){2}[0-9a-fA-F]{4}$/,
  hexcolor: /^#?([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/,
  rgbcolor: /^rgb\(\s*\d{1,3}\s*,\s*\d{1,3}\s*,\s*\d{1,3}\s*\)$/,
  bsonobjectid: /^[0-9a-fA-F]{24}$/,
};

/** Formats the conversion keeps for built-in types (the upstream documents also use double, int-or-string: no check). */
export const BUILT_IN_TYPE_FORMATS = new Set(['int32', 'int64', 'byte', 'date-time', 'quantity']);

/** Formats the apiextensions API server checks in custom resources, with its aliases. */
export const CUSTOM_RESOURCE_FORMATS: ReadonlyMap<string, string> = new Map([
  ...[
    'byte',
    'date',
    'date-time',
    'duration',
    'uri',
    'email',
    'hostname',
    'ipv4',
    'ipv6',
    'uuid',
    'uuid3',
    'uuid4',
    'uuid5',
    'cidr',
    'mac',
    'hexcolor',
    'rgbcolor',
    'bsonobjectid',
  ].map((name) => [name, name] as [string, string]),
  ['datetime', 'date-time'],
]);

/** How a person writes a value of the format, for messages. */
export const FORMAT_EXAMPLES: Record<string, string> = {
  int32: 'a whole number between -2147483648 and 2147483647',
  int64: 'a whole number that fits 64 bits',
  byte: 'base64, e.g. aGVsbG8=',
  'date-time': 'RFC 3339, e.g. 2026-01-31T12:00:00Z',
  date: 'e.g. 2026-01-31',
  quantity: 'e.g. 500m, 1.5, 128Mi, 2Gi',
  duration: 'e.g. 30s, 1h30m, 7d',
  cidr: 'e.g. 10.0.0.0/16',
};
