import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';

/**
 * Writes one module version in the layout of a Go module proxy (`<module>/@v/list`, `.info`,
 * `.mod`, `.zip`), so that `GOPROXY=file://<directory>` serves it to the real Go toolchain:
 * a Go build from source without the network. `files` are paths inside the module, go.mod included.
 */
export async function writeGoModuleVersion(
  directory: string,
  module: string,
  version: string,
  files: Record<string, string>,
): Promise<void> {
  const versions = join(directory, module, '@v');
  await mkdir(versions, { recursive: true });
  await writeFile(join(versions, 'list'), `${version}\n`);
  await writeFile(join(versions, `${version}.info`), JSON.stringify({ Version: version, Time: '2026-01-01T00:00:00Z' }));
  await writeFile(join(versions, `${version}.mod`), files['go.mod'] ?? '');
  const entries = Object.entries(files).map(([path, text]) => ({ name: `${module}@${version}/${path}`, data: Buffer.from(text) }));
  await writeFile(join(versions, `${version}.zip`), storedZip(entries));
}

/** A ZIP archive of `entries`, stored without compression (what `go mod download` reads). */
function storedZip(entries: { name: string; data: Buffer }[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const { name, data } of entries) {
    const fileName = Buffer.from(name);
    // The local header and the central directory entry carry the same fields, 4 bytes further on in the latter.
    const local = zipHeader(30, 0x04034b50, 4, data, fileName.length);
    const central = zipHeader(46, 0x02014b50, 6, data, fileName.length);
    central.writeUInt16LE(20, 4); // version made by
    central.writeUInt32LE(offset, 42);
    locals.push(local, fileName, data);
    centrals.push(central, fileName);
    offset += local.length + fileName.length + data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

/** A ZIP header of `size` bytes: signature, then from `at` version needed, flags, method (stored), date, CRC-32, sizes, name length. */
function zipHeader(size: number, signature: number, at: number, data: Buffer, nameLength: number): Buffer {
  const DOS_DATE_1980_01_01 = 0x21;
  const header = Buffer.alloc(size);
  header.writeUInt32LE(signature, 0);
  header.writeUInt16LE(20, at); // version needed
  header.writeUInt16LE(DOS_DATE_1980_01_01, at + 8);
  header.writeUInt32LE(crc32(data), at + 10);
  header.writeUInt32LE(data.length, at + 14);
  header.writeUInt32LE(data.length, at + 18);
  header.writeUInt16LE(nameLength, at + 22);
  return header;
}
