function signSessionToken(user, context, callback) {
  const token = jwt.sign({ sub: user.user_id, email: user.email }, configuration.JWT_SECRET, { expiresIn: '1h', audience: 'api', issuer: 'https://rulesmfa.example/' });
  context.accessToken['https://rulesmfa.example/session'] = token;
  const decoded = jwt.decode(token);
  context.idToken['https://rulesmfa.example/session_exp'] = decoded.exp - decoded.iat;
  callback(null, user, context);
}
