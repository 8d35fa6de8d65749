function (user, context, callback) {
  callback(null, user, context);
  context.multifactor = true;
  callback(new Error('second call is ignored'));
}
