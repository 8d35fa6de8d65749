// The tenant's users: search, one user's enrolled factors (names only), and the support actions "Reset MFA" and "Forget
// browsers", each confirmed in a dialog that says what it removes; the user is shown again as they are afterwards.
'use strict';

(function () {
  const consoleApi = window.RulesConsole;
  const views = window.RulesConsoleViews;
  const $ = (id) => document.getElementById(id);
  let user = null;     // the opened user's details
  let pending = null;  // the action the dialog asks to confirm
  let latestSearch = 0; // the newest search asked for: the view's first search may answer after the admin's, and must not undo it
  let latestUser = 0;   // the newest user opened: an earlier one that answers later is not shown (nor acted on)

  const when = (iso) => (iso ? iso.replace('T', ' ').slice(0, 19) : 'never');
  const problem = (response) => (response.body && response.body.detail) || `HTTP ${response.status}`;

  async function search(event) {
    if (event) { event.preventDefault(); }
    const text = $('users-search').value.trim();
    const ticket = ++latestSearch;
    const response = await consoleApi.call('GET', `/users?search=${encodeURIComponent(text)}`);
    if (ticket !== latestSearch) { return; }
    const body = $('users-table').tBodies[0];
    $('users-search').removeAttribute('aria-invalid');
    $('users-search-error').textContent = '';
    if (response.status !== 200) {
      body.replaceChildren();
      $('users-search').setAttribute('aria-invalid', 'true');
      $('users-search-error').textContent = `Not searched: ${problem(response)}`;
      $('users-status').textContent = '';
      return;
    }
    $('users-status').textContent = `${consoleApi.plural(response.body.length, 'user')} found${text ? ` for "${text}"` : ''}.`;
    body.replaceChildren(...response.body.map((found) => {
      const tr = document.createElement('tr');
      tr.dataset.user = found.id;
      [found.email, found.name || '', found.id].forEach((value) => consoleApi.cell(tr, value));
      const open = consoleApi.button('Open', () => openUser(found.id), 'link');
      open.setAttribute('aria-label', `Open ${found.email}`);
      consoleApi.cell(tr, open);
      return tr;
    }));
  }

  async function openUser(id, message) {
    const ticket = ++latestUser;
    const response = await consoleApi.call('GET', `/users/${encodeURIComponent(id)}`);
    if (ticket !== latestUser) { return; }
    $('user-detail').hidden = false;
    $('user-action-result').textContent = message || '';
    if (response.status !== 200) {
      user = null;
      $('user-heading').textContent = `User not loaded: ${problem(response)}`;
      return;
    }
    user = response.body;
    $('user-heading').textContent = user.email;
    $('user-id').textContent = user.id;
    $('user-admin').textContent = user.isAdmin ? 'yes' : 'no';
    $('user-created').textContent = when(user.createdAt);
    $('user-last-login').textContent = when(user.lastLogin);
    $('user-logins').textContent = String(user.loginsCount);
    $('user-browsers').textContent = String(user.rememberedBrowsers);
    $('user-factors').replaceChildren(...(user.factors.length ? user.factors.map((factor) => item(factorName(factor))) : [item('None: they enroll at their next login that asks for MFA.')]));
    $('user-reset-mfa').disabled = false;
    $('user-forget-browsers').disabled = false;
    if (!message) { $('user-heading').setAttribute('tabindex', '-1'); $('user-heading').focus(); }
  }

  // The verified account email counts only next to another factor, and a reset leaves it (it is the account's address).
  const factorName = (factor) => (factor.standalone ? factor.name : `${factor.name} (the verified account email, only next to another factor)`);

  function item(text) {
    const li = document.createElement('li');
    li.textContent = text;
    return li;
  }

  function confirmAction(action) {
    pending = action;
    const reset = action === 'reset-mfa';
    $('user-dialog-heading').textContent = reset ? `Reset MFA of ${user.email}?` : `Forget the browsers of ${user.email}?`;
    $('user-dialog-text').textContent = reset
      ? `This removes every factor of ${user.email}, forgets ${consoleApi.plural(user.rememberedBrowsers, 'remembered browser')} and signs them out of every app (their tokens are revoked). At their next login they must enroll a factor again. Removed:`
      : `Each of the ${consoleApi.plural(user.rememberedBrowsers, 'browser')} that ${user.email} told to remember them will ask for MFA again at their next login. Their factors stay.`;
    const removed = user.factors.filter((factor) => factor.standalone);
    $('user-dialog-list').replaceChildren(...(reset ? (removed.length ? removed.map((factor) => item(factor.name)) : [item('no factor is enrolled')]) : []));
    $('user-dialog-confirm').textContent = reset ? 'Reset MFA' : 'Forget browsers';
    $('user-dialog-error').textContent = '';
    $('user-dialog').showModal();
    $('user-dialog-cancel').focus();
  }

  async function confirmed() {
    const response = await consoleApi.call('POST', `/users/${encodeURIComponent(user.id)}/${pending}`, { confirm: true });
    if (response.status !== 200) {
      $('user-dialog-error').textContent = `Nothing was changed: ${problem(response)}`;
      return;
    }
    $('user-dialog').close();
    const message = pending === 'reset-mfa'
      ? `MFA reset: removed ${response.body.removed.filter((factor) => factor.count > 0).map((factor) => `${factor.count} ${factor.name}`).join(', ') || 'no factor'}` +
        ` and forgot ${consoleApi.plural(response.body.browsersForgotten, 'browser')}. ${user.email} enrolls again at their next login.`
      : `Forgot ${consoleApi.plural(response.body.forgotten, 'remembered browser')} of ${user.email}: each asks for MFA again.`;
    await openUser(user.id, message);
    $(pending === 'reset-mfa' ? 'user-reset-mfa' : 'user-forget-browsers').focus();
  }

  $('users-form').addEventListener('submit', search);
  $('user-reset-mfa').addEventListener('click', () => confirmAction('reset-mfa'));
  $('user-forget-browsers').addEventListener('click', () => confirmAction('forget-browsers'));
  $('user-dialog-confirm').addEventListener('click', confirmed);
  $('user-dialog-cancel').addEventListener('click', () => $('user-dialog').close());
  views.onShow('users-view', () => { if (!$('users-table').tBodies[0].rows.length) { search(); } });
}());
