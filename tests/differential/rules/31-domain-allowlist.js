function emailDomain(user, context, callback) {
  const domain = (user.email || '').split('@')[1];
  const corp = ['corp.example'];
  if (!corp.includes(domain) && context.clientID === 'client-admin') {
    return callback(new UnauthorizedError('Only corporate accounts may use ' + context.clientName));
  }
  callback(null, user, context);
}
