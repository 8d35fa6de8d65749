// Configuration and secrets: the rules' configuration values by name with when each was set; a secret's value is never shown
// (the API does not return it), only that it is set.
'use strict';

(function () {
  const consoleApi = window.RulesConsole;
  const fields = window.RulesConsoleFields;
  const $ = (id) => document.getElementById(id);
  const form = $('configuration-form');
  const when = (at) => (at ? at.replace('T', ' ').slice(0, 19) : 'before times were kept');
  let latest = 0; // the newest list asked for: the view's first load may answer after a save's, and must not undo it

  async function load(message) {
    const ticket = ++latest;
    const response = await consoleApi.call('GET', '/configuration');
    if (ticket !== latest) { return; }
    const rows = $('configuration-table').tBodies[0];
    if (response.status !== 200) {
      rows.replaceChildren();
      $('configuration-status').textContent = `Not loaded: ${fields.problem(response)}`;
      return;
    }
    rows.replaceChildren(...response.body.map(row));
    $('configuration-status').textContent = message || (response.body.length ? `${consoleApi.plural(response.body.length, 'value')}.` : 'No values yet.');
  }

  function row(entry) {
    const tr = document.createElement('tr');
    tr.dataset.name = entry.name;
    const name = document.createElement('code');
    name.textContent = entry.name;
    consoleApi.cell(tr, name);
    consoleApi.cell(tr, entry.secret ? 'secret' : 'plain');
    consoleApi.cell(tr, entry.secret ? 'set (write-only)' : entry.value);
    consoleApi.cell(tr, when(entry.setAt));
    const replace = consoleApi.button('Replace', () => edit(entry), 'link');
    replace.setAttribute('aria-label', `Replace ${entry.name}`);
    const remove = consoleApi.button('Delete…', () => removeEntry(entry), 'link');
    remove.setAttribute('aria-label', `Delete ${entry.name}`);
    consoleApi.cell(tr, replace).append(' ', remove);
    return tr;
  }

  function edit(entry) {
    fields.clear(form);
    $('configuration-name').value = entry.name;
    $('configuration-secret').checked = entry.secret;
    $('configuration-value').value = entry.secret ? '' : entry.value;
    $('configuration-value').focus();
  }

  async function removeEntry(entry) {
    if (!window.confirm(`Delete ${entry.name}? Rules that read it get undefined from the next login on.`)) { return; }
    const response = await consoleApi.call('DELETE', `/configuration/${encodeURIComponent(entry.name)}`);
    await load(response.status === 204 ? `${entry.name} deleted.` : `${entry.name} not deleted: ${fields.problem(response)}`);
    $('configuration-name').focus();
  }

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    fields.clear(form);
    const name = $('configuration-name').value.trim();
    const secret = $('configuration-secret').checked;
    if (!name) {
      fields.show('configuration-name-error', 'A name is required.');
      $('configuration-name').focus();
      return;
    }
    const response = await consoleApi.call('PUT', `/configuration/${encodeURIComponent(name)}`, { value: $('configuration-value').value, secret });
    if (response.status === 204) {
      $('configuration-value').value = '';
      await load(`${name} saved${secret ? ' as a secret: its value is not shown again' : ''}.`);
      return;
    }
    const others = fields.showAll(response, (field) => `configuration-${field}-error`);
    $('configuration-status').textContent = `${name} not saved${others.length ? ': ' + others.join('; ') : response.status === 400 ? '.' : ': ' + fields.problem(response)}`;
    const invalid = form.querySelector('[aria-invalid="true"]');
    if (invalid) { invalid.focus(); }
  });

  window.RulesConsoleViews.onShow('configuration-view', () => load());
}());
