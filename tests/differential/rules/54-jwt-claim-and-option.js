function (user, context, callback) {
  // A payload that already carries exp, nbf or aud, signed with the option that would set it again: jsonwebtoken
  // refuses rather than choose; a payload's exp set to undefined is refused as not a number.
  const now = Math.floor(Date.now() / 1000);
  const signed = [];
  for (const [payload, options] of [
    [{ sub: user.user_id, exp: now + 600 }, { expiresIn: '1h' }],
    [{ sub: user.user_id, nbf: now }, { notBefore: 0 }],
    [{ sub: user.user_id, aud: 'api' }, { audience: 'web' }],
    [{ sub: user.user_id, iss: 'https://rulesmfa.example/' }, { issuer: 'https://rulesmfa.example/' }],
    [{ sub: user.user_id, exp: (user.app_metadata || {}).session_exp }, { expiresIn: 3600 }],
  ]) {
    try {
      const claims = jwt.decode(jwt.sign(payload, configuration.JWT_SECRET, options));
      signed.push([claims.exp - claims.iat, claims.aud || null]);
    } catch (err) {
      signed.push(err.message);
    }
  }
  context.idToken['https://rulesmfa.example/claim_conflicts'] = signed;
  callback(null, user, context);
}
