// The control plane moved to src/dev (dev mode's embedded cluster); test/bench still imports it from here.
export { startControlPlane, installCrds, SHARED_CRDS_DIR, type ControlPlane, type ControlPlaneOptions } from '../../src/dev/control-plane';
