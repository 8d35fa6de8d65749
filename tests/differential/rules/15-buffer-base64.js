function (user, context, callback) {
  const encoded = Buffer.from(JSON.stringify({ sub: user.user_id, c: context.clientID })).toString('base64');
  const decoded = JSON.parse(Buffer.from(encoded, 'base64').toString('utf8'));
  context.idToken['https://rulesmfa.example/b64'] = encoded;
  context.idToken['https://rulesmfa.example/round'] = decoded.c === context.clientID;
  callback(null, user, context);
}
