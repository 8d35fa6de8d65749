// The audit log: events filtered by type, actor and time, newest first, a page at a time (the API's Link header gives the
// next page's cursor; the cursors of the pages before are kept to go back).
'use strict';

(function () {
  const consoleApi = window.RulesConsole;
  const views = window.RulesConsoleViews;
  const $ = (id) => document.getElementById(id);
  const fields = { action: 'audit-action', actor: 'audit-actor', from: 'audit-from', to: 'audit-to' };
  let cursors = [null]; // the cursor of each page shown so far; the last is the current page's
  let next = null;
  let latest = 0; // the newest page asked for: the view's first page may answer after a search or page asked for since, and must not undo it
  // The filters of the search shown or asked for, as they were when it was asked: its pages and its status line keep them,
  // whatever the admin has typed into the form since without searching.
  let searched = new URLSearchParams();

  const utc = (local) => new Date(local + 'Z').toISOString();

  function typed() {
    const parameters = new URLSearchParams();
    ['action', 'actor'].forEach((name) => { if ($(fields[name]).value.trim()) { parameters.set(name, $(fields[name]).value.trim()); } });
    ['from', 'to'].forEach((name) => { if ($(fields[name]).value) { parameters.set(name, utc($(fields[name]).value)); } });
    return parameters;
  }

  function search() {
    searched = typed();
    cursors = [null];
    load(null);
  }

  function showErrors(errors) {
    Object.values(fields).forEach((id) => { $(id).removeAttribute('aria-invalid'); $(`${id}-error`).textContent = ''; });
    errors.forEach((error) => {
      const id = fields[error.field];
      if (id) {
        $(id).setAttribute('aria-invalid', 'true');
        $(`${id}-error`).textContent = error.message;
      }
    });
  }

  // False when the search is refused; null when a newer page was asked for meanwhile (this answer is then dropped).
  async function load(before) {
    const ticket = ++latest;
    const filters = searched;
    const parameters = new URLSearchParams(filters);
    if (before) { parameters.set('before', before); }
    const response = await consoleApi.call('GET', `/audit?${parameters}`);
    if (ticket !== latest) { return null; }
    const body = $('audit-table').tBodies[0];
    if (response.status !== 200) {
      body.replaceChildren();
      showErrors((response.body && response.body.errors) || []);
      $('audit-status').textContent = `Not searched: ${(response.body && response.body.detail) || 'HTTP ' + response.status}`;
      next = null;
      paging();
      return false;
    }
    showErrors([]);
    const link = /[?&]before=(\d+)[^>]*>;\s*rel="next"/.exec(response.headers.get('Link') || '');
    next = link ? link[1] : null;
    body.replaceChildren(...response.body.map((entry) => {
      const tr = document.createElement('tr');
      tr.dataset.event = entry.id;
      [entry.at.replace('T', ' ').slice(0, 19), entry.action, entry.actor, entry.target, entry.detail || '',
        entry.oldHash || entry.newHash ? `${(entry.oldHash || '—').slice(0, 19)} → ${(entry.newHash || '—').slice(0, 19)}` : ''].forEach((value) => consoleApi.cell(tr, value));
      return tr;
    }));
    const named = [...filters].map(([name, value]) => `${name} ${value}`).join(', ');
    $('audit-status').textContent = (response.body.length
      ? `Page ${cursors.length}: ${consoleApi.plural(response.body.length, 'event')}${next ? ', older events on the next page' : ''}`
      : 'No event matches') + (named ? ` (${named}).` : '.');
    paging();
    return true;
  }

  function paging() {
    $('audit-newer').disabled = cursors.length < 2;
    $('audit-older').disabled = !next;
  }

  $('audit-filters').addEventListener('submit', (event) => {
    event.preventDefault();
    search();
  });
  $('audit-older').addEventListener('click', async () => {
    cursors.push(next);
    if (await load(next) === false) { cursors.pop(); }
    if ($('audit-older').disabled) { $('audit-newer').focus(); }
  });
  $('audit-newer').addEventListener('click', async () => {
    cursors.pop();
    await load(cursors[cursors.length - 1]);
    if ($('audit-newer').disabled) { $('audit-older').focus(); }
  });
  views.onShow('audit-view', search);
}());
