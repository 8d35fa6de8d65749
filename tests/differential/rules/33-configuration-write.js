// difference: multifactor.provider: configuration is read-only in RulesMfa, so the rule's own write has no effect
function (user, context, callback) {
  configuration.MFA_PROVIDER = 'duo';
  context.multifactor = { provider: configuration.MFA_PROVIDER };
  callback(null, user, context);
}
