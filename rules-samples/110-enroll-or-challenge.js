// Action: requires MFA once per session and picks the factors. A user with nothing usable enrolled
// (event.user.enrolledFactors empty or missing, or only recovery codes) must enroll an authenticator
// app (OTP) or a security key; an enrolled user is challenged with the factor types they enrolled,
// in their order. A session that has already completed MFA is left alone. Reads no secrets.
const CHALLENGEABLE = ['webauthn-roaming', 'webauthn-platform', 'push-notification', 'otp', 'phone', 'email'];

exports.onExecutePostLogin = async (event, api) => {
  const methods = event.authentication.methods || [];
  if (methods.some((method) => method.name === 'mfa')) {
    return;
  }

  const enrolled = (event.user.enrolledFactors || [])
    .map((factor) => factor && factor.type)
    .filter((type, index, all) => CHALLENGEABLE.indexOf(type) !== -1 && all.indexOf(type) === index);

  if (enrolled.length === 0) {
    console.log('nothing enrolled for ' + event.user.user_id + '; asking to enroll');
    api.authentication.enrollWithAny([{ type: 'otp' }, { type: 'webauthn-roaming' }]);
    return;
  }

  api.authentication.challengeWithAny(enrolled.map((type) => ({ type })));
};
