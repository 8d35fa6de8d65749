// The decision log: recorded logins filtered by user, client, outcome and time; one opened in the console replays its
// exact input with the draft. Also shows every run's resolved input (Rules view, Actions event) with the hints why parts are missing.
'use strict';

(function () {
  const consoleApi = window.RulesConsole;
  const views = window.RulesConsoleViews;
  const $ = (id) => document.getElementById(id);
  let latest = 0; // the newest search asked for: the view's first search may answer after the admin's, and must not undo it

  function utc(local) { return local ? new Date(local + 'Z').toISOString() : null; }

  async function search(event) {
    if (event) { event.preventDefault(); }
    const query = new URLSearchParams({ limit: '100' });
    [['user', 'log-user'], ['client', 'log-client'], ['outcome', 'log-outcome']].forEach(([name, id]) => { if ($(id).value.trim()) { query.set(name, $(id).value.trim()); } });
    [['from', 'log-from'], ['to', 'log-to']].forEach(([name, id]) => { if ($(id).value) { query.set(name, utc($(id).value)); } });
    const ticket = ++latest;
    const response = await consoleApi.call('GET', `/decisions?${query}`);
    if (ticket !== latest) { return; }
    const table = $('log-table').tBodies[0];
    if (response.status !== 200) {
      table.replaceChildren();
      $('log-status').textContent = `Not searched: ${response.body ? response.body.detail : 'HTTP ' + response.status}`;
      return;
    }
    $('log-status').textContent = `${consoleApi.plural(response.body.length, 'login')} found.`;
    table.replaceChildren(...response.body.map((login) => {
      const row = document.createElement('tr');
      row.dataset.login = login.id;
      [login.at.replace('T', ' ').slice(0, 19), login.userEmail || login.userId, login.clientId || '', login.outcome || '', login.plan].forEach((value) => consoleApi.cell(row, value));
      const open = consoleApi.button('Open in console', () => replay(login), 'link');
      open.setAttribute('aria-label', `Open in console: the login of ${login.userEmail || login.userId} at ${login.at}`);
      consoleApi.cell(row, open);
      return row;
    }));
  }

  function replay(login) {
    consoleApi.setReplay(login);
    $('replay-text').textContent = `Replaying the login of ${login.userEmail || login.userId} on ${login.clientId || 'no client'} at ${login.at} (recorded outcome: ${login.outcome}). Runs use its exact input and clock.`;
    $('replay-banner').hidden = false;
    $('input-fields').hidden = true;
    views.show('console-view');
    consoleApi.run(false);
    $('replay-stop').focus();
  }

  $('replay-stop').addEventListener('click', () => {
    consoleApi.setReplay(null);
    $('replay-banner').hidden = true;
    $('input-fields').hidden = false;
    $('recorded-compare').textContent = '—';
    $('run').focus();
  });

  document.addEventListener('rules-console:result', (event) => {
    const result = event.detail;
    $('hints').replaceChildren(...(result ? result.resolved.hints : []).map((hint) => {
      const item = document.createElement('li');
      const path = document.createElement('code');
      path.textContent = hint.path;
      item.append(path, ' ', hint.message);
      return item;
    }));
    $('rules-view').textContent = result ? consoleApi.pretty(result.resolved.rulesView) : '';
    $('event-view').textContent = result ? consoleApi.pretty(result.resolved.event) : '';
    $('recorded-compare').textContent = result && result.recorded
      ? `${result.recorded.outcome} when recorded, ${result.decision.outcome} with the draft${result.recorded.outcome === result.decision.outcome ? ' (unchanged)' : ' (changed)'}`
      : '—';
  });

  $('log-filters').addEventListener('submit', search);
  views.onShow('log-view', () => search());
  window.RulesConsoleReplay = { replay };
}());
