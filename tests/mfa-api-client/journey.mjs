// Auth0's own client (@auth0/auth0-auth-js) through RulesMfa's MFA API, as an app that signs users in without the hosted
// pages would use it. The NUnit test (MfaApi/Auth0ClientJourneyTests) starts the server over TLS with a test certificate
// that this process trusts through NODE_EXTRA_CA_CERTS, runs this script, and checks the JSON it prints.
// Input (argv[2], JSON): {domain, clientId, clientSecret, username, password}. Each step's outcome goes to the output;
// an unexpected error ends the script with exit code 1 and the error on stderr.
import { AuthClient, isMfaRequiredError } from '@auth0/auth0-auth-js';
import * as OTPAuth from 'otpauth';

const input = JSON.parse(process.argv[2]);
const client = new AuthClient({ domain: input.domain, clientId: input.clientId, clientSecret: input.clientSecret });
const out = {};

async function mfaRequired(options) {
  try {
    await client.getTokenByPassword({ username: input.username, password: input.password, ...options });
  } catch (error) {
    if (isMfaRequiredError(error)) {
      return error.cause;
    }
    throw error;
  }
  throw new Error('the password grant gave tokens without MFA');
}

const claimsOf = (tokens) => ({ amr: tokens.claims?.amr, acr: tokens.claims?.acr, sub: tokens.claims?.sub });

// A call that must fail: what the client surfaces of the server's refusal (its error class, status, error and description).
async function refusal(call) {
  try {
    await call();
  } catch (error) {
    return { name: error.name, status: error.statusCode, error: error.cause?.error, description: error.cause?.error_description };
  }
  throw new Error('the call succeeded where the server must refuse it');
}

// 1. First login: no factor yet, so enroll an authenticator app through the MFA API and confirm it with a code.
const first = await mfaRequired({ scope: 'openid profile' });
out.first = { requirements: first.mfa_requirements };
const enrollment = await client.mfa.enrollAuthenticator({ mfaToken: first.mfa_token, authenticatorTypes: ['otp'] });
const totp = OTPAuth.URI.parse(enrollment.barcodeUri);
out.enrollment = { authenticatorType: enrollment.authenticatorType, barcodeUri: enrollment.barcodeUri, hasSecret: !!enrollment.secret, recoveryCodes: enrollment.recoveryCodes };
const firstCode = totp.generate();
const enrolled = await client.mfa.verify({ mfaToken: first.mfa_token, factorType: 'otp', otp: firstCode });
out.first.tokens = claimsOf(enrolled);

// Refusals as the client sees them: the used mfa_token, a tampered one, a wrong and a replayed code, and associate by a
// password alone once the user has a factor.
const refused = await mfaRequired({ scope: 'openid' });
const tampered = (refused.mfa_token[0] === 'A' ? 'B' : 'A') + refused.mfa_token.slice(1);
out.refusals = {
  usedToken: await refusal(() => client.mfa.verify({ mfaToken: first.mfa_token, factorType: 'otp', otp: totp.generate({ timestamp: Date.now() + 30_000 }) })),
  tamperedToken: await refusal(() => client.mfa.verify({ mfaToken: tampered, factorType: 'otp', otp: totp.generate({ timestamp: Date.now() + 30_000 }) })),
  wrongCode: await refusal(() => client.mfa.verify({ mfaToken: refused.mfa_token, factorType: 'otp', otp: firstCode === '000000' ? '111111' : '000000' })),
  replayedCode: await refusal(() => client.mfa.verify({ mfaToken: refused.mfa_token, factorType: 'otp', otp: firstCode })),
  alreadyEnrolled: await refusal(() => client.mfa.enrollAuthenticator({ mfaToken: refused.mfa_token, authenticatorTypes: ['otp'] })),
};

// 2. Second login: list, challenge the app, answer with the next step's code (the current one was used: replay is refused).
const second = await mfaRequired({ scope: 'openid' });
const authenticators = await client.mfa.listAuthenticators({ mfaToken: second.mfa_token });
const app = authenticators.find((authenticator) => authenticator.authenticatorType === 'otp');
const challenge = await client.mfa.challengeAuthenticator({ mfaToken: second.mfa_token, challengeType: 'otp', authenticatorId: app.id });
const nextCode = totp.generate({ timestamp: Date.now() + 30_000 });
const challenged = await client.mfa.verify({ mfaToken: second.mfa_token, factorType: 'otp', otp: nextCode });
out.second = { requirements: second.mfa_requirements, authenticators, challenge, tokens: claimsOf(challenged) };

// 3. Third login: the recovery code; the answer carries the new one.
const third = await mfaRequired({ scope: 'openid' });
const recovered = await client.mfa.verify({ mfaToken: third.mfa_token, factorType: 'recovery-code', recoveryCode: enrollment.recoveryCodes[0] });
out.third = { tokens: claimsOf(recovered), newRecoveryCode: recovered.recoveryCode };

// 4. A token for the MFA API itself (audience https://{domain}/mfa/), after MFA, to remove the authenticator app.
const audience = `https://${input.domain}/mfa/`;
const fourth = await mfaRequired({ scope: 'openid read:authenticators remove:authenticators', audience });
const manager = await client.mfa.verify({ mfaToken: fourth.mfa_token, factorType: 'recovery-code', recoveryCode: recovered.recoveryCode });
await client.mfa.deleteAuthenticator({ authenticatorId: app.id, mfaToken: manager.accessToken });
const remaining = await client.mfa.listAuthenticators({ mfaToken: manager.accessToken });
out.fourth = { requirements: fourth.mfa_requirements, deleted: app.id, remaining };

process.stdout.write(JSON.stringify(out));
