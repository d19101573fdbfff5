/** The `<os>` and `<arch>` words release archives use (Go's GOOS/GOARCH). */
export interface Platform {
  os: string;
  arch: string;
}

const NODE_TO_GO_ARCH: Record<string, string> = { x64: 'amd64', arm64: 'arm64', arm: 'arm', ia32: '386' };
const NODE_TO_GO_OS: Record<string, string> = { linux: 'linux', darwin: 'darwin', win32: 'windows' };

export function currentPlatform(): Platform {
  const os = NODE_TO_GO_OS[process.platform];
  const arch = NODE_TO_GO_ARCH[process.arch];
  if (!os || !arch) {
    throw new Error(
      `unsupported platform ${process.platform}/${process.arch}: release archives exist for linux, darwin and windows on x64 and arm64`,
    );
  }
  return { os, arch };
}

export function platformKey(platform: Platform): string {
  return `${platform.os}-${platform.arch}`;
}
