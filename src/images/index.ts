// The PR's digest lock file: its parser and its check against the configured services
// (seed 000 "Digest pinning"). Pure; activities/github reads the file.
export { ImageLockError, parseImageLock, checkImageLock, configuredImage, readsLockFile, type LockedImages } from './image-lock';
