// Action: adds the user's roles (event.user.app_metadata.roles) to the ID token and the access token
// under the namespaced claim https://rulesmfa.example/roles, always as an array (empty when the user has
// none, so APIs can rely on the claim being there). The access token also carries the user's verified
// email as https://rulesmfa.example/email, for APIs that do not call /userinfo. Reads no secrets.
const NAMESPACE = 'https://rulesmfa.example/';

exports.onExecutePostLogin = async (event, api) => {
  const roles = [].concat(event.user.app_metadata.roles || []).filter((role) => typeof role === 'string');

  api.idToken.setCustomClaim(NAMESPACE + 'roles', roles);
  api.accessToken.setCustomClaim(NAMESPACE + 'roles', roles);

  if (event.user.email && event.user.email_verified === true) {
    api.accessToken.setCustomClaim(NAMESPACE + 'email', event.user.email);
  }
};
