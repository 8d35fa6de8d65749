// difference: idTokenClaims: reserved claims (sub, aud) are dropped by RulesMfa; Node keeps them
function (user, context, callback) {
  context.idToken.sub = 'spoofed';
  context.idToken.aud = 'other-client';
  context.idToken['https://rulesmfa.example/kept'] = true;
  callback(null, user, context);
}
