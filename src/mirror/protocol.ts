// Words the mirror process and main's setup share: main tells a taken port from any other failure
// to start by the first. A module of its own, so main and post load none of the server for them.

/** What setup looks for in the log to tell "taken" from any other failure to start. */
export const PORT_TAKEN = 'port taken';

/** Why a mirror that never got its credential exits (stdin closed empty). */
export const NO_CREDENTIAL = 'stdin closed before the credentials came (the step ended first)';
