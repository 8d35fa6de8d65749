function (user, context, callback) {
  // A digest cut to 16 bytes with subarray, and a slice written through: views of the same memory in Node.
  const digest = require('crypto').createHash('sha256').update(user.user_id).digest();
  const head = digest.subarray(0, 16);
  const copy = Buffer.from(user.email);
  copy.slice(0, 1)[0] = 42;
  context.idToken['https://rulesmfa.example/key'] = [head.length, head.toString('hex')];
  context.idToken['https://rulesmfa.example/written'] = copy.toString();
  callback(null, user, context);
}
