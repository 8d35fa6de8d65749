function (user, context, cb) {
  const guard = setTimeout(() => cb(new UnauthorizedError('took too long')), 50);
  Promise.resolve(user.email || '').then((email) => {
    if (email.endsWith('example.org')) {
      return;
    }
    clearTimeout(guard);
    cb(null, user, context);
  });
}
