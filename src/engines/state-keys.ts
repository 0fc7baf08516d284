// Where each engine row keeps what post must undo (GITHUB_STATE keys). A module of its own so post
// can tell whether any engine was set up without loading the rows.
import { MIRROR_STATE_KEY } from '../mirror/record.js';

export const ENGINE_STATE_KEYS = {
  docker: MIRROR_STATE_KEY,
  containers: 'mirror-containers',
  containerd: 'mirror-containerd',
  buildkit: 'mirror-buildkit',
} as const;
