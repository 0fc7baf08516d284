import { describe, expect, test } from '@jest/globals';
import { envInputs, envName, inEnvTerms } from '../../../src/hooks/env-inputs.js';
import { parseSettings } from '../../../src/settings.js';

describe('the hooks read the inputs from ECR_PUBLIC_LOGIN_* variables', () => {
  test('names', () => {
    expect(envName('role-to-assume')).toBe('ECR_PUBLIC_LOGIN_ROLE_TO_ASSUME');
    expect(envName('docker-mirror')).toBe('ECR_PUBLIC_LOGIN_DOCKER_MIRROR');
  });

  test("action.yml's defaults and checks, through parseSettings", () => {
    const { getInput } = envInputs({
      ECR_PUBLIC_LOGIN_DOCKER_MIRROR: 'true',
      ECR_PUBLIC_LOGIN_MIRROR_PORT: ' 5000 ',
    });
    const settings = parseSettings(getInput);
    expect(settings.mirror).toMatchObject({ engines: ['docker'], dockerPort: 5000 });
    expect(settings.target.host).toBe('public.ecr.aws');
    expect(settings.network.timeoutSeconds).toBe(60);
    expect(() =>
      parseSettings(envInputs({ ECR_PUBLIC_LOGIN_DOCKER_MIRROR: 'yes' }).getInput),
    ).toThrow(/'docker-mirror' must be true or false/);
  });

  test('step-only inputs are ignored, with a note', () => {
    const { getInput, notes } = envInputs({
      ECR_PUBLIC_LOGIN_DOCKER_CONFIG: 'isolated',
      ECR_PUBLIC_LOGIN_IMAGES: 'nginx',
    });
    expect(getInput('docker-config')).toBe('shared');
    expect(getInput('images')).toBe('');
    expect(notes).toEqual([
      expect.stringMatching(/^ECR_PUBLIC_LOGIN_IMAGES is ignored/),
      expect.stringMatching(/^ECR_PUBLIC_LOGIN_DOCKER_CONFIG is ignored/),
    ]);
  });

  test('messages name the variable, not the input', () =>
    expect(inEnvTerms(`'docker-mirror' must be true or false: got "yes"; 'x' stays`)).toBe(
      `ECR_PUBLIC_LOGIN_DOCKER_MIRROR must be true or false: got "yes"; 'x' stays`,
    ));
});
