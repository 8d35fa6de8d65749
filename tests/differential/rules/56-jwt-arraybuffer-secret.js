function (user, context, callback) {
  // The shared secret as bytes, handed over as the Buffer's ArrayBuffer (buffer.buffer): Node takes any binary data
  // as an HMAC secret, so the token is the one the text secret gives.
  const text = configuration.JWT_SECRET;
  const bytes = Buffer.alloc(text.length);
  for (let i = 0; i < text.length; i++) {
    bytes[i] = text.charCodeAt(i);
  }
  try {
    const token = jwt.sign({ sub: user.user_id }, bytes.buffer, { expiresIn: 300 });
    const claims = jwt.verify(token, bytes.buffer);
    context.idToken['https://rulesmfa.example/binary_secret'] = [token === jwt.sign({ sub: user.user_id }, text, { expiresIn: 300 }), claims.sub];
  } catch (err) {
    context.idToken['https://rulesmfa.example/binary_secret'] = [err.name, err.message];
    context.multifactor = { provider: 'any' };
  }
  callback(null, user, context);
}
