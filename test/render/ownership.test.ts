import { describe, expect, it } from 'vitest';
import { fileDigest, formatOwnershipRecord, parseOwnershipRecord, type OwnershipRecord } from '../../src/render/ownership.js';

const RECORD: OwnershipRecord = {
  environments: { staging: ['staging/web/service_apps_web.yaml', 'staging/web/configmap_apps_web.yaml'] },
  digests: {
    'staging/web/configmap_apps_web.yaml': fileDigest('kind: ConfigMap\n'),
    'staging/web/service_apps_web.yaml': fileDigest('kind: Service\n'),
  },
  fingerprints: { staging: { web: 'sha256:f1' } },
  tools: { staging: { helm: '4.3.1', helmfile: '1.8.0' } },
};

describe('the ownership record', () => {
  it('writes each file with its digest, one per line and sorted, and reads back what it wrote', () => {
    const text = formatOwnershipRecord(RECORD);
    expect(text).toBe(
      [
        '{',
        '  "format": 2,',
        '  "environments": {',
        '    "staging": {',
        `      "staging/web/configmap_apps_web.yaml": "${fileDigest('kind: ConfigMap\n')}",`,
        `      "staging/web/service_apps_web.yaml": "${fileDigest('kind: Service\n')}"`,
        '    }',
        '  },',
        '  "fingerprints": {',
        '    "staging": {',
        '      "web": "sha256:f1"',
        '    }',
        '  },',
        '  "tools": {',
        '    "staging": {',
        '      "helm": "4.3.1",',
        '      "helmfile": "1.8.0"',
        '    }',
        '  }',
        '}',
        '',
      ].join('\n'),
    );
    const read = parseOwnershipRecord(text, 'manifests/.helmfile-hydrate.json');
    expect(read).toEqual({ ...RECORD, environments: { staging: [...RECORD.environments.staging!].sort() } });
    expect(formatOwnershipRecord(read)).toBe(text);
  });

  it('reads a record of format 1 (paths only): no digests, so every release renders once and the record is rewritten', () => {
    const read = parseOwnershipRecord(
      JSON.stringify({
        format: 1,
        environments: { staging: ['staging/web/service_apps_web.yaml'] },
        fingerprints: { staging: { web: 'f' } },
      }),
      'manifests/.helmfile-hydrate.json',
    );
    expect(read).toEqual({
      environments: { staging: ['staging/web/service_apps_web.yaml'] },
      digests: {},
      fingerprints: { staging: { web: 'f' } },
      tools: {},
    });
  });

  it('refuses a record of a format it does not know, saying what to do', () => {
    expect(() => parseOwnershipRecord(JSON.stringify({ format: 3, environments: {} }), 'manifests/.helmfile-hydrate.json')).toThrow(
      'manifests/.helmfile-hydrate.json has format 3, expected 2; it was written by another version of helmfile-hydrate: restore it from git or delete it',
    );
  });
});
