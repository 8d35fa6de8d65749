function (user, context, callback) {
  const ua = context.request.userAgent || '';
  const mobile = /iPhone|Android/.test(ua);
  if (mobile && context.clientID !== 'client-mobile') {
    context.multifactor = { provider: 'any', allowRememberBrowser: true };
  }
  callback(null, user, context);
}
