// Secret values the suite uses on purpose. None may ever show up in output, logs or errors.
export const TEST_API_KEY = 'rpa_TWINKEY_ab12cd34ef56gh78';
export const WIRE_API_KEY = 'rpa_TESTKEY_0123456789abcdef';
export const WRONG_API_KEY = 'rpa_wrong_key_123456';
export const POD_ENV_SECRET = 'hf_never_show_me_123';
export const SOAK_ENV_SECRET = 'sk_soak_env_value_98765';
export const WIRE_ENV_SECRET = 'v4lue-that-is-secret';
export const SERVICES_ENV_SECRET = 'hf_s3cr3t-token-value-9876';
export const SLACK_BOT_TOKEN_SECRET = 'xoxb-test-2718281828-secret-token';
export const SLACK_SIGNING_SECRET_VALUE = 'e2e-signing-secret-31415926535';
export const SLACK_APP_TOKEN_SECRET = 'xapp-1-test-1618033988-secret';
export const E2E_ENV_SECRET = 'hf_SuperSecretValue_8f3a9c2e77';
export const CONSOLE_ENV_SECRET = 'hf_console_secret_value_4242';

export const TEST_SECRETS = [
  TEST_API_KEY,
  WIRE_API_KEY,
  WRONG_API_KEY,
  POD_ENV_SECRET,
  SOAK_ENV_SECRET,
  WIRE_ENV_SECRET,
  SERVICES_ENV_SECRET,
  SLACK_BOT_TOKEN_SECRET,
  SLACK_SIGNING_SECRET_VALUE,
  SLACK_APP_TOKEN_SECRET,
  E2E_ENV_SECRET,
  CONSOLE_ENV_SECRET,
];
