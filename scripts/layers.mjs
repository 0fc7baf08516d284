// The one map of what each src/ folder may import (besides node and npm packages). ESLint
// enforces it (eslint.config.js turns it into no-restricted-imports rules), a unit test proves
// the rule fires, and CONTRIBUTING.md's folder map is checked against it. Lower layers come
// first; nothing imports a folder listed after it, so the graph has no upward edge.
export const SRC_LAYERS = {
  common: [],
  startup: [],
  runner: ['common'],
  net: ['common', 'runner'],
  registry: ['common', 'net'],
  aws: ['common', 'runner', 'net'],
  hub: ['common', 'runner', 'net', 'registry'],
  docker: ['common', 'runner', 'registry'],
  targets: ['common', 'runner', 'net', 'registry', 'aws'],
  images: ['common', 'runner', 'net', 'registry', 'docker'],
  mirror: ['common', 'runner', 'net', 'registry', 'docker'],
  engines: ['common', 'runner', 'net', 'registry', 'docker', 'images', 'mirror', 'hooks'],
  report: ['common', 'runner', 'registry', 'hub', 'targets', 'images'],
  hooks: ['common', 'runner', 'mirror'],
  clients: ['common', 'runner', 'net', 'registry', 'docker'],
};

/** ESLint config blocks: in src/<folder>/, importing a folder it may not is an error. */
export function layerRules() {
  const folders = Object.keys(SRC_LAYERS);
  return folders.map((folder) => {
    const forbidden = folders.filter(
      (other) => other !== folder && !SRC_LAYERS[folder].includes(other),
    );
    return {
      files: [`src/${folder}/**/*.ts`],
      rules: {
        'no-restricted-imports': [
          'error',
          {
            patterns: [
              {
                // `../main.js`, `../settings.js`: the top of src/ is above every folder.
                regex: `^\\.\\./(?!(${folders.join('|')})/)[^/]+$`,
                message: `src/${folder}/ may not import the top of src/ (entries, main, post, settings): see scripts/layers.mjs.`,
              },
              ...forbidden.map((other) => ({
                regex: `^\\.\\./${other}/`,
                message: `src/${folder}/ may not import src/${other}/ (allowed: ${SRC_LAYERS[folder].join(', ') || 'node and packages only'}); see scripts/layers.mjs.`,
              })),
            ],
          },
        ],
      },
    };
  });
}
