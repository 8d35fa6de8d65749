// The backtest: the draft's enabled rules run on the newest recorded logins in the background; progress while it runs,
// then how many decisions change, by kind, client and rule, each changed login openable in the console (a replay).
'use strict';

(function () {
  const consoleApi = window.RulesConsole;
  const views = window.RulesConsoleViews;
  const $ = (id) => document.getElementById(id);
  let polling = null;
  let latest = 0; // the newest state asked for: an older answer that arrives later is dropped (it would show a stale state, or poll twice)
  let refused = ''; // why the admin's start was refused while the tenant's backtest ran: said before that backtest's state, which is shown instead

  function tally(id, counts) {
    $(id).tBodies[0].replaceChildren(...Object.entries(counts).map(([key, count]) => {
      const row = document.createElement('tr');
      consoleApi.cell(row, key);
      consoleApi.cell(row, String(count));
      return row;
    }));
  }

  function showResult(result) {
    tally('backtest-by-kind', result.byKind);
    tally('backtest-by-client', result.byClient);
    tally('backtest-by-rule', result.byRule);
    $('backtest-changes').tBodies[0].replaceChildren(...result.changes.map((change) => {
      const row = document.createElement('tr');
      [change.at.replace('T', ' ').slice(0, 19), change.userEmail || change.userId, change.clientId || '', change.recorded, change.draft, change.kinds.join(', '), change.rules.join(', ')]
        .forEach((value) => consoleApi.cell(row, value));
      const open = consoleApi.button('Open in console', () => window.RulesConsoleReplay.replay(
        { id: change.id, userId: change.userId, userEmail: change.userEmail, clientId: change.clientId, at: change.at, outcome: change.recorded }), 'link');
      open.setAttribute('aria-label', `Open in console: the login of ${change.userEmail || change.userId} at ${change.at}`);
      consoleApi.cell(row, open);
      return row;
    }));
    $('backtest-result').hidden = false;
  }

  function show(job) {
    const running = job.state === 'running';
    $('backtest-progress').max = Math.max(job.total, 1);
    $('backtest-progress').value = job.done;
    $('backtest-start').disabled = running;
    $('backtest-cancel').disabled = !running;
    let status;
    if (running) {
      status = `Running: ${job.done} of ${consoleApi.plural(job.total, 'login')}${job.waiting ? ` (paused: ${job.waiting})` : ''}.`;
    } else if (job.state === 'done') {
      const result = job.result;
      status = `Done: ${consoleApi.plural(result.compared, 'login')} compared, ${result.changed} decided differently${result.skipped ? `, ${result.skipped} skipped (input not readable)` : ''}.`;
      showResult(result);
    } else {
      status = `Backtest ${job.state}: ${job.failure}`;
    }
    $('backtest-status').textContent = refused + status;
    return running;
  }

  async function poll() {
    clearTimeout(polling);
    const ticket = ++latest;
    const response = await consoleApi.call('GET', '/console/backtest');
    if (ticket !== latest) { return; }
    if (response.status === 200 && show(response.body)) {
      polling = setTimeout(poll, 500);
    }
  }

  $('backtest-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    $('backtest-last-error').textContent = '';
    $('backtest-last').removeAttribute('aria-invalid');
    $('backtest-result').hidden = true;
    refused = '';
    latest += 1; // a poll still on its way (the view's, say) answers with the state before this start
    const rules = consoleApi.drafts.filter((draft) => draft.enabled !== false).map((draft) => ({ id: draft.id, source: draft.source }));
    const response = await consoleApi.call('POST', '/console/backtest', { rules, last: Number($('backtest-last').value) });
    if (response.status === 202) {
      show(response.body);
      poll();
      return;
    }
    if (response.status === 409) {
      // The poll this start made stale may have been the one to show the running backtest: show it now.
      refused = `Not started: ${response.body ? response.body.detail : 'a backtest of this tenant is running'} Shown here: `;
      $('backtest-status').textContent = refused;
      poll();
      return;
    }
    const errors = (response.body && response.body.errors) || [];
    const last = errors.find((error) => error.field === 'last');
    if (last) {
      $('backtest-last-error').textContent = last.message;
      $('backtest-last').setAttribute('aria-invalid', 'true');
      $('backtest-last').focus();
    }
    $('backtest-status').textContent = `Not started: ${errors.filter((error) => error !== last).map((error) => `${error.field}: ${error.message}`).join('; ') || (response.body ? response.body.detail : 'HTTP ' + response.status)}`;
  });

  $('backtest-cancel').addEventListener('click', async () => {
    await consoleApi.call('DELETE', '/console/backtest');
    poll();
  });

  views.onShow('backtest-view', () => { refused = ''; poll(); });
}());
