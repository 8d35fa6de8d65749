function stepUp(user, context, callback) {
  const acr = (context.request.query && context.request.query.acr_values) || '';
  if (acr.split(' ').indexOf('http://schemas.openid.net/pape/policies/2007/06/multi-factor') !== -1) {
    context.multifactor = { provider: 'any' };
  }
  callback(null, user, context);
}
