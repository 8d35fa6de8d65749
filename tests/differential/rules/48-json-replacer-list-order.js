function jsonReplacerListOrder(user, context, callback) {
  const profile = { plan: 'free', 2: 'second', 10: 'tenth', email: user.email || 'none' };
  context.idToken['https://example.com/profile'] = JSON.stringify(profile, ['email', 10, 'plan', 2]);
  context.idToken['https://example.com/nested'] = JSON.stringify({ a: { 1: 'x', b: 'y' }, 0: 'z' }, ['a', 'b', 1, 0], 2);
  callback(null, user, context);
}
