// difference: idTokenClaims.sub, idTokenClaims.aud: reserved claims are dropped by RulesMfa; Node keeps them
function (user, context, callback) {
  context.idToken.sub = 'spoofed';
  context.idToken.aud = 'other-client';
  context.idToken['https://rulesmfa.example/kept'] = true;
  callback(null, user, context);
}
