function (user, context, callback) {
  const count = context.stats && context.stats.loginsCount;
  if (count === undefined) {
    return callback(new Error('login statistics are missing'));
  }
  if (count < 5) {
    context.multifactor = true;
  }
  callback(null, user, context);
}
