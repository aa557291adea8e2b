// Secret values the suite uses on purpose. None may ever show up in output, logs or errors.
export const TEST_API_KEY = 'rpa_TWINKEY_ab12cd34ef56gh78';
export const WIRE_API_KEY = 'rpa_TESTKEY_0123456789abcdef';
export const WRONG_API_KEY = 'rpa_wrong_key_123456';
export const POD_ENV_SECRET = 'hf_never_show_me_123';
export const SOAK_ENV_SECRET = 'sk_soak_env_value_98765';
export const WIRE_ENV_SECRET = 'v4lue-that-is-secret';

export const TEST_SECRETS = [
  TEST_API_KEY,
  WIRE_API_KEY,
  WRONG_API_KEY,
  POD_ENV_SECRET,
  SOAK_ENV_SECRET,
  WIRE_ENV_SECRET,
];
