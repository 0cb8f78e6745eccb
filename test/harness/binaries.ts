// The server binaries moved to src/dev (dev mode starts the same servers); test/bench still
// imports them from here.
export { cacheDir, pinnedVersions, resolveBinaries, resolveArgoCdBinaries, resolvePromtool, type ServerBinaries, type ArgoCdBinaries } from '../../src/dev/server-binaries';
